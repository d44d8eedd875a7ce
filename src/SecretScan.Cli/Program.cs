// Entry point: defines the commands and flags once, turns every expected failure into one line and exit code 2.
using System.CommandLine;
using System.Reflection;
using SecretScan.Core;
using SecretScan.Rules.Yaml;

namespace SecretScan.Cli;

internal static class Program
{
    public static string Version { get; } =
        typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static int Main(string[] args)
    {
        using var youngGeneration = YoungGenerationCap.Start();
        try
        {
            var root = Commands.Build();
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var error in parse.Errors)
                {
                    Console.Error.WriteLine("secretscan: " + error.Message);
                }

                Console.Error.WriteLine("Run 'secretscan --help' for usage.");
                return ExitCodes.Error;
            }

            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is UsageException or ConfigException or RuleException)
        {
            Console.Error.WriteLine("secretscan: error: " + e.Message);
            return ExitCodes.Error;
        }
        catch (IOException e) when (IsBrokenPipe(e))
        {
            // Output piped into `head` and closed early: not an error worth a message.
            return ExitCodes.Error;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("secretscan: error: " + e.Message);
            return ExitCodes.Error;
        }
    }

    private static bool IsBrokenPipe(IOException e) => e.HResult == 32 || e.Message.Contains("Broken pipe", StringComparison.OrdinalIgnoreCase);
}
