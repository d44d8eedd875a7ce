// The command hook: a local program run without a shell, the JSON event on standard input, the secret nowhere else.
using System.ComponentModel;
using System.Diagnostics;

namespace SecretScan.Revocation;

/// <summary>
/// Runs <see cref="Argv"/> directly (no shell, so nothing in the event can be interpreted as shell syntax). The event,
/// with the secret unless the hook opts out, goes to standard input only: never in argv, which other users can read in
/// the process list, nor in the environment, which child processes inherit. Variables of this process that hold the
/// secret (it may be the very token that leaked) are removed from the hook's environment. Exit code 0 means delivered.
/// </summary>
public sealed class CommandHook : Hook
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private const int MaxErrorChars = 200;

    public CommandHook(HookMatch match, IReadOnlyList<string> argv, bool includeSecret = true, TimeSpan? timeout = null)
        : base(match)
    {
        if (argv.Count == 0 || string.IsNullOrEmpty(argv[0]))
        {
            throw new ArgumentException("a command hook needs a program in argv[0]", nameof(argv));
        }

        Argv = argv;
        IncludesSecret = includeSecret;
        Timeout = timeout ?? DefaultTimeout;
    }

    public IReadOnlyList<string> Argv { get; }

    public TimeSpan Timeout { get; }

    public override string Kind => ActionKind.Command;

    public override string Target => Argv[0];

    public override bool IncludesSecret { get; }

    public override async Task<ActionResult> RunAsync(LeakedSecret secret, HookContext context, CancellationToken cancel = default)
    {
        var start = new ProcessStartInfo(Argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (var arg in Argv.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in start.Environment.Where(e => e.Value is not null && e.Value.Contains(secret.Secret, StringComparison.Ordinal)).Select(e => e.Key).ToArray())
        {
            start.Environment.Remove(name);
        }

        var body = HookEvent.Build(secret, IncludesSecret, context.ToolVersion, Guid.NewGuid().ToString("D"), context.Time.GetUtcNow());
        var clock = Stopwatch.StartNew();
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("no process started");
        }
        catch (Win32Exception e)
        {
            return Result(secret, Outcome.Unreachable, $"cannot start {Argv[0]}: {e.Message}", clock.Elapsed);
        }

        using (process)
        {
            // Drain both pipes so a chatty hook never blocks on a full pipe; keep only a scrubbed tail of stderr.
            var stdout = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, cancel);
            var stderr = process.StandardError.ReadToEndAsync(cancel);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(Timeout);
            try
            {
                try
                {
                    await process.StandardInput.BaseStream.WriteAsync(body, timeout.Token).ConfigureAwait(false);
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // The hook exited without reading its input; its exit code says whether that was fine.
                }

                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return Result(secret, Outcome.TimedOut, $"{Argv[0]} did not finish within {Timeout.TotalSeconds:0.#} s and was killed", clock.Elapsed);
            }

            var error = stderr.Result.Trim();
            if (error.Length > MaxErrorChars)
            {
                error = error.Substring(error.Length - MaxErrorChars);
            }

            return process.ExitCode == 0
                ? Result(secret, Outcome.Delivered, "exit code 0", clock.Elapsed)
                : Result(secret, Outcome.Rejected, $"exit code {process.ExitCode}" + (error.Length > 0 ? ": " + error : ""), clock.Elapsed);
        }
    }
}
