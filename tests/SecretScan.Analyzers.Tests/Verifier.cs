// Runs the analyzers and code fixes on test snippets, offline: net10.0 reference assemblies from the installed SDK.
using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using SecretScan.Analyzers.CodeFixes;

namespace SecretScan.Analyzers.Tests;

internal static class Verifier
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> RefPack = new(LoadRefPack);

    /// <summary>The repository root, baked in at build time.</summary>
    public static string RepoRoot { get; } = typeof(Verifier).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "RepoRoot").Value!.TrimEnd('/', '\\');

    public static DiagnosticResult Diagnostic(string id) =>
        new DiagnosticResult(id, RuleDiagnostics.All.First(d => d.Id == id).DefaultSeverity);

    /// <summary>Analyzes C# sources (markup: `{|#0:...|}`) and expects exactly the given diagnostics.</summary>
    public static Task AnalyzeAsync(string source, params DiagnosticResult[] expected) =>
        AnalyzeAsync(new[] { source }, null, null, expected);

    /// <summary>Like <see cref="AnalyzeAsync(string, DiagnosticResult[])"/> for a program with top-level statements.</summary>
    public static async Task AnalyzeProgramAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest();
        Configure(test.TestState, new[] { source }, null, null);
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    /// <summary>
    /// Analyzes with analyzer options (`key = value` lines, as .editorconfig and the build's global options give them).
    /// The options go straight to the analyzers: this Roslyn/testing pair does not apply AnalyzerConfigFiles, so the
    /// end-to-end test covers real .editorconfig files.
    /// </summary>
    public static async Task AnalyzeAsync(string[] sources, (string Path, string Text)[]? additionalFiles, string? options, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest { Options = ParseOptions(options) };
        Configure(test.TestState, sources, additionalFiles, null);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    public static async Task FixAsync(string source, string fixedSource, string equivalenceKey, DiagnosticResult[] expected, int iterations = 1, CodeFixTestBehaviors behaviors = CodeFixTestBehaviors.None)
    {
        var test = new FixTest { CodeActionEquivalenceKey = equivalenceKey, NumberOfFixAllIterations = iterations, CodeFixTestBehaviors = behaviors };
        Configure(test.TestState, new[] { source }, null, null);
        test.ExpectedDiagnostics.AddRange(expected);
        if (iterations == 0)
        {
            // No fix with this key applies: the diagnostics stay.
            test.FixedState.ExpectedDiagnostics.AddRange(expected);
            test.NumberOfIncrementalIterations = 0;
        }

        test.FixedState.Sources.Add(fixedSource);
        test.FixedState.AdditionalReferences.AddRange(RefPack.Value);
        await test.RunAsync();
    }

    /// <summary>Fix All over several documents (project and solution scope).</summary>
    public static async Task FixAllAsync(string[] sources, string[] fixedSources, string equivalenceKey, DiagnosticResult[] expected, string[]? secondProject = null, string[]? secondProjectFixed = null)
    {
        var test = new FixTest
        {
            CodeActionEquivalenceKey = equivalenceKey,
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipFixAllInDocumentCheck | (secondProject is null ? CodeFixTestBehaviors.SkipFixAllInSolutionCheck : CodeFixTestBehaviors.SkipFixAllInProjectCheck),
            NumberOfIncrementalIterations = -1 * (sources.Length + (secondProject?.Length ?? 0)) * 2,
        };
        Configure(test.TestState, sources, null, null);
        test.ExpectedDiagnostics.AddRange(expected);
        test.FixedState.Sources.AddRange(fixedSources.Select((s, i) => ($"/0/Test{i}.cs", Microsoft.CodeAnalysis.Text.SourceText.From(s))));
        test.FixedState.AdditionalReferences.AddRange(RefPack.Value);
        if (secondProject is not null)
        {
            var project = new ProjectState("Second", LanguageNames.CSharp, "/Second/Test", "cs");
            project.Sources.AddRange(secondProject.Select((s, i) => ($"/Second/Test{i}.cs", Microsoft.CodeAnalysis.Text.SourceText.From(s))));
            project.AdditionalReferences.AddRange(RefPack.Value);
            test.TestState.AdditionalProjects.Add("Second", project);
            var fixedProject = new ProjectState("Second", LanguageNames.CSharp, "/Second/Test", "cs");
            fixedProject.Sources.AddRange(secondProjectFixed!.Select((s, i) => ($"/Second/Test{i}.cs", Microsoft.CodeAnalysis.Text.SourceText.From(s))));
            fixedProject.AdditionalReferences.AddRange(RefPack.Value);
            test.FixedState.AdditionalProjects.Add("Second", fixedProject);
        }

        await test.RunAsync();
    }

    private static void Configure(SolutionState state, string[] sources, (string Path, string Text)[]? additionalFiles, string? editorConfig)
    {
        for (var i = 0; i < sources.Length; i++)
        {
            state.Sources.Add(($"/0/Test{i}.cs", sources[i]));
        }

        foreach (var (path, text) in additionalFiles ?? Array.Empty<(string, string)>())
        {
            state.AdditionalFiles.Add((path, text));
        }

        if (editorConfig is not null)
        {
            state.AnalyzerConfigFiles.Add((editorConfig.Contains("is_global") ? "/.globalconfig" : "/0/.editorconfig", editorConfig));
        }

        state.AdditionalReferences.AddRange(RefPack.Value);
    }

    /// <summary>The installed SDK's net10.0 reference pack; the package-based ReferenceAssemblies would need a download.</summary>
    private static ImmutableArray<MetadataReference> LoadRefPack()
    {
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", ".."));
        var packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        var refDir = Directory.Exists(packs)
            ? Directory.GetDirectories(packs).OrderByDescending(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : new Version())
                .Select(d => Path.Combine(d, "ref", "net10.0")).FirstOrDefault(Directory.Exists)
            : null;
        var dir = refDir ?? runtimeDir;
        return Directory.GetFiles(dir, "*.dll")
            .Where(f => !Path.GetFileName(f).StartsWith("Microsoft.VisualBasic", StringComparison.Ordinal))
            .Select(f => (MetadataReference)MetadataReference.CreateFromFile(f))
            .ToImmutableArray();
    }

    private static readonly ReferenceAssemblies NoPackages = new("net10.0");

    private sealed class AnalyzerTest : CSharpAnalyzerTest<SecretLiteralAnalyzer, DefaultVerifier>
    {
        public AnalyzerTest()
        {
            ReferenceAssemblies = NoPackages;
        }

        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() =>
            new DiagnosticAnalyzer[] { new SecretLiteralAnalyzer(), new SecretTriviaAnalyzer(), new AdditionalFileAnalyzer() };

        public Dictionary<string, string> Options { get; set; } = new();

        protected override ParseOptions CreateParseOptions() => new CSharpParseOptions(LanguageVersion.Preview);

        protected override AnalyzerOptions GetAnalyzerOptions(Project project) =>
            new(project.AnalyzerOptions.AdditionalFiles, new DictionaryOptionsProvider(Options));
    }

    private static Dictionary<string, string> ParseOptions(string? text)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in (text ?? "").Split('\n'))
        {
            var eq = line.IndexOf('=');
            if (eq > 0)
            {
                options[line.Substring(0, eq).Trim()] = line.Substring(eq + 1).Trim();
            }
        }

        return options;
    }

    /// <summary>The same options for every tree, additional file and the global scope.</summary>
    private sealed class DictionaryOptionsProvider : AnalyzerConfigOptionsProvider
    {
        private readonly DictionaryOptions options;

        public DictionaryOptionsProvider(Dictionary<string, string> values) => options = new DictionaryOptions(values);

        public override AnalyzerConfigOptions GlobalOptions => options;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => options;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => options;

        private sealed class DictionaryOptions : AnalyzerConfigOptions
        {
            private readonly Dictionary<string, string> values;

            public DictionaryOptions(Dictionary<string, string> values) => this.values = values;

            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
        }
    }

    private sealed class FixTest : CSharpCodeFixTest<SecretLiteralAnalyzer, SecretCodeFixProvider, DefaultVerifier>
    {
        public FixTest()
        {
            ReferenceAssemblies = NoPackages;
        }

        protected override ParseOptions CreateParseOptions() => new CSharpParseOptions(LanguageVersion.Preview);
    }
}
