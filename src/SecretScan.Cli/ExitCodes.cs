// The process exit codes, in one place: 0 clean, 1 findings, 2 error.
namespace SecretScan.Cli;

internal static class ExitCodes
{
    public const int Clean = 0;
    public const int Findings = 1;
    public const int Error = 2;
}
