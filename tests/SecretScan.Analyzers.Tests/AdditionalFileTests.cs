// AdditionalFiles (appsettings*.json, .env, *.config) scanned with the full rule set, and odd files that must never throw.
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using static SecretScan.Analyzers.Tests.Verifier;

namespace SecretScan.Analyzers.Tests;

public class AdditionalFileTests
{
    private const string Source = "class C { }";

    [Fact]
    public async Task AppSettingsEnvAndConfigFiles()
    {
        var (password, token, key) = (Fakes.Password(), Fakes.GitHubPat(), Fakes.StripeLive());
        var line = $"  \"ConnectionStrings\": {{ \"Ledger\": \"Server=db.internal;Database=ledger;User Id=app;Password={password};\" }}";
        var column = line.IndexOf(password, StringComparison.Ordinal) + 1;
        await AnalyzeAsync(
            new[] { Source },
            new[]
            {
                ("/0/appsettings.Production.json", "{\n" + line + "\n}\n"),
                ("/0/.env", $"GITHUB_TOKEN={token}\n"),
                ("/0/web.config", $"<configuration>\n  <appSettings>\n    <add key=\"Stripe\" value=\"{key}\" />\n  </appSettings>\n</configuration>\n"),
            },
            null,
            Diagnostic("SS1100").WithSpan("/0/.env", 1, 14, 1, 14 + token.Length),
            Diagnostic("SS1709").WithSpan("/0/appsettings.Production.json", 2, column, 2, column + password.Length),
            Diagnostic("SS1300").WithSpan("/0/web.config", 3, 30, 3, 30 + key.Length));
    }

    [Fact]
    public async Task AdditionalFilesCanBeTurnedOff()
    {
        await AnalyzeAsync(new[] { Source }, new[] { ("/0/.env", $"GITHUB_TOKEN={Fakes.GitHubPat()}\n") }, "secretscan.additional_files = false");
    }

    [Fact]
    public async Task BinaryHugeAndInvalidUtf8FilesNeverThrow()
    {
        var binary = "PK\u0003\u0004\0\0" + Fakes.GitHubPat();
        var huge = new string('a', 200_000) + "\nTOKEN=" + Fakes.GitHubPat() + "\n";
        var invalid = Encoding.UTF8.GetString(new byte[] { 0x47, 0x48, 0xC3, 0x28, 0xFF, 0xFE, 0x80, 0x41 }) + "\n";
        await AnalyzeAsync(
            new[] { Source },
            new[] { ("/0/logo.png", binary), ("/0/huge.txt", huge), ("/0/bad.env", invalid), ("/0/empty.json", "") },
            "secretscan.max_additional_file_size = 100KB");
    }

    [Fact]
    public async Task MalformedOptionsFallBackToDefaults()
    {
        var token = Fakes.GitHubPat();
        await AnalyzeAsync(
            new[] { Source },
            new[] { ("/0/.env", $"GITHUB_TOKEN={token}\n") },
            "secretscan.additional_files = maybe\nsecretscan.max_additional_file_size = -12 furlongs\nsecretscan.report_test_fixtures = \nbuild_property.IsTestProject = perhaps",
            Diagnostic("SS1100").WithSpan("/0/.env", 1, 14, 1, 14 + token.Length));
    }

    [Theory]
    [InlineData("", true, AnalyzerSettingsDefaults.MaxSize)]
    [InlineData("secretscan.max_additional_file_size = 2MB", true, 2L << 20)]
    [InlineData("secretscan.max_additional_file_size = 99999999999999999999GB", true, AnalyzerSettingsDefaults.MaxSize)]
    [InlineData("secretscan.max_additional_file_size = 0x10", true, AnalyzerSettingsDefaults.MaxSize)]
    [InlineData("secretscan.additional_files = FALSE", false, AnalyzerSettingsDefaults.MaxSize)]
    [InlineData("secretscan.additional_files = 🙂", true, AnalyzerSettingsDefaults.MaxSize)]
    public void SettingsParseOrFallBack(string line, bool additionalFiles, long maxSize)
    {
        var settings = AnalyzerSettings.Read(new LineOptions(line));
        Assert.Equal(additionalFiles, settings.AdditionalFiles);
        Assert.Equal(maxSize, settings.MaxAdditionalFileSize);
    }

    [Fact]
    public async Task AnUnreadableAdditionalFileIsSkipped()
    {
        // GetText returning null (a file the host could not read) must be skipped, not dereferenced.
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("t", new[] { Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(Source) });
        var options = new AnalyzerOptions(System.Collections.Immutable.ImmutableArray.Create<AdditionalText>(new UnreadableText()));
        var diagnostics = await compilation.WithAnalyzers(System.Collections.Immutable.ImmutableArray.Create<DiagnosticAnalyzer>(new AdditionalFileAnalyzer()), options)
            .GetAnalyzerDiagnosticsAsync();
        Assert.Empty(diagnostics);
    }

    private static class AnalyzerSettingsDefaults
    {
        public const long MaxSize = AnalyzerSettings.DefaultMaxAdditionalFileSize;
    }

    private sealed class LineOptions : AnalyzerConfigOptions
    {
        private readonly Dictionary<string, string> values = new(StringComparer.OrdinalIgnoreCase);

        public LineOptions(string line)
        {
            var eq = line.IndexOf('=');
            if (eq > 0)
            {
                values[line.Substring(0, eq).Trim()] = line.Substring(eq + 1).Trim();
            }
        }

        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }

    private sealed class UnreadableText : AdditionalText
    {
        public override string Path => "/0/missing.env";

        public override SourceText? GetText(CancellationToken cancellationToken = default) => null;
    }
}
