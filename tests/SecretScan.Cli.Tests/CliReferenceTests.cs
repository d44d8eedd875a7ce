// The checked-in CLI reference (src/SecretScan.Cli/REFERENCE.md) is exactly what the command definitions render.
namespace SecretScan.Cli.Tests;

public sealed class CliReferenceTests
{
    [Fact]
    public void ReferencePage_MatchesTheCommandDefinitions()
    {
        var page = Path.Combine(RulesCommandTests.FindRepositoryRoot(), "src", "SecretScan.Cli", "REFERENCE.md");
        var rendered = CliReference.Render(Commands.Build());
        if (Environment.GetEnvironmentVariable("SECRETSCAN_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(page, rendered);
        }

        Assert.True(File.Exists(page), page + " is missing; run with SECRETSCAN_UPDATE_DOCS=1 to write it");
        Assert.True(File.ReadAllText(page) == rendered,
            "src/SecretScan.Cli/REFERENCE.md is out of date with the command definitions; regenerate it with " +
            "SECRETSCAN_UPDATE_DOCS=1 dotnet test tests/SecretScan.Cli.Tests --filter CliReferenceTests");
    }

    [Fact]
    public void ReferencePage_ListsEveryCommandAndOption()
    {
        var rendered = CliReference.Render(Commands.Build());
        foreach (var command in new[] { "secretscan scan", "secretscan rules list", "secretscan baseline create", "secretscan hook install" })
        {
            Assert.Contains("\n## " + command + "\n", rendered, StringComparison.Ordinal);
        }

        foreach (var option in new[] { "`--format`", "`--fail-on`", "`--no-redact`", "`--baseline`", "`--staged`", "`--range`" })
        {
            Assert.Contains(option, rendered, StringComparison.Ordinal);
        }
    }
}
