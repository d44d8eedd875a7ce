// Scans the project's AdditionalFiles (appsettings*.json, *.config, .env...) with the full rule set, as the CLI would.
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace SecretScan.Analyzers;

[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class AdditionalFileAnalyzer : DiagnosticAnalyzer
{
    // Like git: a NUL in the first 8000 characters makes a file binary.
    private const int BinaryProbeLength = 8000;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => RuleDiagnostics.All;

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var optionsProvider = start.Options.AnalyzerConfigOptionsProvider;
            var global = AnalyzerSettings.Read(optionsProvider.GlobalOptions);
            var isTestProject = TestFixtures.IsTestProject(start.Compilation, global.IsTestProject);
            start.RegisterAdditionalFileAction(c => Analyze(c, optionsProvider, isTestProject));
        });
    }

    private static void Analyze(AdditionalFileAnalysisContext context, AnalyzerConfigOptionsProvider optionsProvider, bool isTestProject)
    {
        var file = context.AdditionalFile;
        var settings = AnalyzerSettings.Read(optionsProvider.GetOptions(file));
        if (!settings.AdditionalFiles)
        {
            return;
        }

        SourceText? text;
        try
        {
            text = file.GetText(context.CancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return; // unreadable: the compiler reports its own error for files it cannot read
        }

        if (text is null || text.Length == 0 || (settings.MaxAdditionalFileSize > 0 && text.Length > settings.MaxAdditionalFileSize) || IsBinary(text))
        {
            return;
        }

        var path = file.Path ?? "";
        foreach (var (finding, start, end) in SecretEngine.ScanText(text.ToString(), path))
        {
            if (!RuleDiagnostics.TryGet(finding.Rule.Id, out var descriptor))
            {
                continue;
            }

            if (!settings.ReportTestFixtures && isTestProject && TestFixtures.IsTestOnlyFinding(finding.Rule))
            {
                continue;
            }

            var span = TextSpan.FromBounds(start, end);
            var location = Location.Create(path, span, text.Lines.GetLinePositionSpan(span));
            context.ReportDiagnostic(Diagnostic.Create(descriptor, location, finding.Rule.Title, finding.Redacted));
        }
    }

    private static bool IsBinary(SourceText text)
    {
        var length = Math.Min(text.Length, BinaryProbeLength);
        for (var i = 0; i < length; i++)
        {
            if (text[i] == '\0')
            {
                return true;
            }
        }

        return false;
    }
}
