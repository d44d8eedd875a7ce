// Comments, XML docs and code in inactive #if branches: scanned as plain text, as the CLI would, one scan per file.
using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace SecretScan.Analyzers;

[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SecretTriviaAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => RuleDiagnostics.All;

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var options = start.Options.AnalyzerConfigOptionsProvider;
            var isTestProject = TestFixtures.IsTestProject(start.Compilation, AnalyzerSettings.Read(options.GlobalOptions).IsTestProject);
            start.RegisterSyntaxTreeAction(c => Analyze(c, options, isTestProject));
        });
    }

    private static void Analyze(SyntaxTreeAnalysisContext context, AnalyzerConfigOptionsProvider options, bool isTestProject)
    {
        var root = context.Tree.GetRoot(context.CancellationToken);

        // All comment and inactive-code text of the file that could hold a secret, each piece on its own lines.
        var source = context.Tree.GetText(context.CancellationToken);
        var text = new StringBuilder();
        var pieces = new List<(int TextStart, TextSpan Span)>();
        foreach (var trivia in root.DescendantTrivia())
        {
            switch (trivia.Kind())
            {
                case SyntaxKind.SingleLineCommentTrivia:
                case SyntaxKind.MultiLineCommentTrivia:
                case SyntaxKind.DisabledTextTrivia:
                case SyntaxKind.SingleLineDocumentationCommentTrivia:
                case SyntaxKind.MultiLineDocumentationCommentTrivia:
                    var span = trivia.FullSpan;
                    if (CouldHoldSecret(source, span))
                    {
                        pieces.Add((text.Length, span));
                        text.Append(source.ToString(span)).Append('\n');
                    }

                    break;
            }
        }

        if (pieces.Count == 0)
        {
            return;
        }

        var scanned = text.ToString();
        AnalyzerSettings? settings = null;
        foreach (var (finding, start, end) in SecretEngine.ScanText(scanned, context.Tree.FilePath ?? ""))
        {
            if (!RuleDiagnostics.TryGet(finding.Rule.Id, out var descriptor))
            {
                continue;
            }

            if (isTestProject && TestFixtures.IsTestOnlyFinding(finding.Rule) &&
                !(settings ??= AnalyzerSettings.Read(options.GetOptions(context.Tree))).ReportTestFixtures)
            {
                continue;
            }

            // The piece holding the secret's start; its text is the source text, so offsets carry over one to one.
            var index = pieces.FindLastIndex(p => p.TextStart <= start);
            if (index < 0)
            {
                continue;
            }

            var (pieceStart, span) = pieces[index];
            var from = span.Start + (start - pieceStart);
            var to = Math.Min(span.End, span.Start + (end - pieceStart));
            if (to <= from)
            {
                continue;
            }

            context.ReportDiagnostic(Diagnostic.Create(descriptor, Location.Create(context.Tree, TextSpan.FromBounds(from, to)), finding.Rule.Title, finding.Redacted));
        }
    }

    /// <summary>
    /// Prose never holds a secret: every rule's secret has a run of 8+ non-space characters mixing letters with
    /// digits or symbols. Comments without one (API docs: "Gets the JsonToken", "<see cref="A.B"/>") are not scanned.
    /// </summary>
    internal static bool CouldHoldSecret(SourceText text, TextSpan span)
    {
        var run = 0;
        var letters = false;
        var others = false;
        for (var i = span.Start; i < span.End; i++)
        {
            var c = text[i];
            if (c <= ' ' || c == '<' || c == '>' || c == '"' || c == '\'' || c == '(' || c == ')' || c == ',' || c == '`')
            {
                run = 0;
                letters = others = false;
                continue;
            }

            run++;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            {
                letters = true;
            }
            else if ((c >= '0' && c <= '9') || "!@#$%^&*+=?~|".IndexOf(c) >= 0)
            {
                others = true;
            }

            if (run >= 8 && letters && others)
            {
                return true;
            }
        }

        return false;
    }
}
