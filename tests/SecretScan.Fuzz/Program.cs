// Entry point of the fuzz harness: picks a target by name and runs it under AFL (SharpFuzz) or over saved inputs.
using System.Text;
using SharpFuzz;

namespace SecretScan.Fuzz;

internal static class Program
{
    private const string Usage =
        "usage: SecretScan.Fuzz TARGET             run under afl-fuzz (input on standard input)\n" +
        "       SecretScan.Fuzz TARGET FILE|DIR... run saved inputs (crash reproduction, corpus check)\n" +
        "       SecretScan.Fuzz --seeds TARGET OUT REPO  write generated seeds (fresh fake tokens; never commit them)\n" +
        "targets: ";

    public static int Main(string[] args)
    {
        if (args is ["--seeds", var name, var outDir, var repo] && FuzzTargets.All.ContainsKey(name))
        {
            Console.WriteLine($"{Seeds.Write(name, outDir, repo)} generated seeds for {name} in {outDir}");
            return 0;
        }

        if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
        {
            Console.Error.WriteLine(Usage + string.Join(", ", FuzzTargets.All.Keys));
            return 2;
        }

        var limit = InputTimeLimit();
        if (args.Length == 1)
        {
            // A child that dies without a managed exception in the target (another thread, the runtime) says why here.
            AppDomain.CurrentDomain.UnhandledException += (_, e) => CrashLog.Write(args[0], Array.Empty<byte>(), "unhandled on another thread: " + e.ExceptionObject);

            // Out of process: a hang or a fail-fast kills only the child, which SharpFuzz reports as a crash and restarts.
            Fuzzer.OutOfProcess.Run(stream =>
            {
                var input = ReadAll(stream);
                try
                {
                    Watchdog.Run(args[0], limit, () => target(input), input);
                }
                catch (Exception e)
                {
                    CrashLog.Write(args[0], input, e.ToString());
                    throw;
                }
            });
            return 0;
        }

        return Replay(args[0], target, limit, args.Skip(1));
    }

    /// <summary>Runs each saved input and prints one line per input; exit code 1 when any input crashed.</summary>
    private static int Replay(string name, Action<byte[]> target, TimeSpan limit, IEnumerable<string> paths)
    {
        var files = paths.SelectMany<string, string>(p => Directory.Exists(p)
            ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            : new[] { p }).ToArray();
        var crashed = 0;
        foreach (var file in files)
        {
            try
            {
                Watchdog.Run(name, limit, () => target(File.ReadAllBytes(file)));
                Console.WriteLine($"ok     {file}");
            }
            catch (Exception e)
            {
                crashed++;
                Console.WriteLine($"CRASH  {file}\n{e}");
            }
        }

        Console.WriteLine($"{files.Length - crashed} ok, {crashed} crashed ({name})");
        return crashed == 0 ? 0 : 1;
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary>SECRETSCAN_FUZZ_TIMEOUT_MS, default 10 s: generous because AFL runs several copies on two shared cores.</summary>
    private static TimeSpan InputTimeLimit() =>
        int.TryParse(Environment.GetEnvironmentVariable("SECRETSCAN_FUZZ_TIMEOUT_MS"), out var ms) && ms > 0
            ? TimeSpan.FromMilliseconds(ms)
            : TimeSpan.FromSeconds(10);
}

/// <summary>Turns an input that runs too long into a crash AFL keeps, instead of a hang it may drop.</summary>
internal static class Watchdog
{
    public static void Run(string target, TimeSpan limit, Action action, byte[]? input = null)
    {
        using var timer = new Timer(
            _ =>
            {
                var message = $"secretscan-fuzz: {target}: one input ran longer than {limit.TotalMilliseconds:0} ms (hang)";
                if (input is not null)
                {
                    CrashLog.Write(target, input, message);
                }

                Environment.FailFast(message);
            },
            null,
            limit,
            Timeout.InfiniteTimeSpan);
        action();
    }
}

/// <summary>
/// With SECRETSCAN_FUZZ_LOG set, every crash appends the exception and the input's SHA-256 to that file: AFL keeps the
/// input but not the stack trace, and an input that crashed once under AFL may not crash alone (state, load).
/// </summary>
internal static class CrashLog
{
    public static void Write(string target, byte[] input, string what)
    {
        if (Environment.GetEnvironmentVariable("SECRETSCAN_FUZZ_LOG") is not { Length: > 0 } log)
        {
            return;
        }

        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(input));
        File.AppendAllText(log, $"=== {DateTime.UtcNow:O} {target} input sha256 {hash} ({input.Length} bytes)\n{what}\n");
    }
}

/// <summary>Thrown by a target when the code under test broke a promise without throwing (e.g. a secret in a report).</summary>
internal sealed class OracleException : Exception
{
    public OracleException(string message)
        : base(message)
    {
    }
}

/// <summary>Text as File.ReadAllText gives it: UTF-8 unless a byte order mark says otherwise.</summary>
internal static class InputText
{
    public static string Decode(byte[] bytes, int offset = 0)
    {
        using var reader = new StreamReader(new MemoryStream(bytes, offset, bytes.Length - offset), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}
