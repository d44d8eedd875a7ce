// The C# analyzer: every string literal, constant expression and byte/char array is scanned with the full rule set,
// next to the name the semantic model gives it, and findings are reported on the literal.
using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using SecretScan.Core;

namespace SecretScan.Analyzers;

[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SecretLiteralAnalyzer : DiagnosticAnalyzer
{
    // No rule's secret is shorter (passwords start at 8), so shorter values never need a scan.
    private const int MinValueLength = 8;

    // Byte arrays shorter than a 128-bit key, and char arrays shorter than a password, are not credentials.
    private const int MinKeyBytes = 16;
    private const int MinPasswordChars = 8;

    private const int MaxHoleText = 40;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => RuleDiagnostics.All;

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var optionsProvider = start.Options.AnalyzerConfigOptionsProvider;
            var global = AnalyzerSettings.Read(optionsProvider.GlobalOptions);
            var compilation = new CompilationFacts(TestFixtures.IsTestProject(start.Compilation, global.IsTestProject), optionsProvider);
            start.RegisterSyntaxNodeAction(
                c => AnalyzeString(c, compilation),
                SyntaxKind.StringLiteralExpression,
                SyntaxKind.Utf8StringLiteralExpression,
                SyntaxKind.InterpolatedStringExpression);
            start.RegisterSyntaxNodeAction(
                c => AnalyzeArray(c, compilation),
                SyntaxKind.ArrayInitializerExpression,
                SyntaxKind.CollectionExpression);
        });
    }

    private static void AnalyzeString(SyntaxNodeAnalysisContext context, CompilationFacts compilation)
    {
        var node = (ExpressionSyntax)context.Node;
        var top = ConcatenationTop(node);
        if (top != node && FirstStringPart(top) != node)
        {
            return; // the whole concatenation is handled once, at its first string part
        }

        var parts = new List<ValuePart>();
        var sb = new StringBuilder();
        var hasHoles = BuildParts(top, parts, sb);
        if (sb.Length < MinValueLength)
        {
            return;
        }

        var value = sb.ToString();
        var folded = false;
        if (hasHoles && context.SemanticModel.GetConstantValue(top, context.CancellationToken) is { HasValue: true, Value: string constant })
        {
            // Constants folded as the compiler sees them (const + const, $"{Const}..."): scan the real value.
            folded = constant != value;
            value = constant;
        }

        var valueContext = ValueContext.Resolve(top, context.SemanticModel, context.CancellationToken);
        if (valueContext.IsPattern)
        {
            return;
        }

        var site = new ValueSite(top, parts, folded, value);
        Report(context, compilation, valueContext, site, value, DiagnosticProperties.LiteralKind);
    }

    private static void AnalyzeArray(SyntaxNodeAnalysisContext context, CompilationFacts compilation)
    {
        var node = (ExpressionSyntax)context.Node;
        var elements = node switch
        {
            InitializerExpressionSyntax initializer when initializer.Parent is not InitializerExpressionSyntax => initializer.Expressions,
            CollectionExpressionSyntax collection => ElementsOf(collection),
            _ => default,
        };
        if (elements.Count < MinPasswordChars)
        {
            return;
        }

        var array = ArrayText(elements);
        if (array is null)
        {
            return;
        }

        // The array itself is the value: `new byte[] {...}`, `byte[] k = {...}`, `[0x1f, ...]`.
        var holder = node is InitializerExpressionSyntax { Parent: ArrayCreationExpressionSyntax or ImplicitArrayCreationExpressionSyntax or StackAllocArrayCreationExpressionSyntax } init
            ? (ExpressionSyntax)init.Parent!
            : node;
        var elementType = ElementType(context.SemanticModel.GetTypeInfo(holder, context.CancellationToken).ConvertedType);
        string value;
        if (elementType == SpecialType.System_Char)
        {
            value = array.Chars;
        }
        else if (elementType is SpecialType.System_Byte or SpecialType.System_SByte && array.Bytes is { } hex)
        {
            value = hex;
        }
        else
        {
            return;
        }

        var valueContext = ValueContext.Resolve(holder, context.SemanticModel, context.CancellationToken);
        var site = new ValueSite(holder, new List<ValuePart>(), folded: true, value);
        Report(context, compilation, valueContext, site, value, DiagnosticProperties.ArrayKind);
    }

    private static void Report(SyntaxNodeAnalysisContext context, CompilationFacts compilation, ValueContext valueContext, ValueSite site, string value, string valueKind)
    {
        var tree = site.Top.SyntaxTree;
        var path = tree.FilePath ?? "";
        var findings = Scan(RuleReadableName(valueContext.Name), valueContext.Prefix, value, path);
        if (valueContext.CallKey is { } key && Scan("\"" + key + "\",", "", value, path) is { } pairFindings)
        {
            findings = findings is null ? pairFindings : MostSpecific(findings.Concat(pairFindings));
        }

        if (findings is null)
        {
            return;
        }

        HashSet<(string, TextSpan)>? reported = null;
        foreach (var found in findings)
        {
            var rule = found.Finding.Rule;
            if (TestFixtures.IsTestOnlyFinding(rule) && compilation.IsTestCode(site.Top, valueContext.SymbolName))
            {
                continue;
            }

            if (!RuleDiagnostics.TryGet(rule.Id, out var descriptor))
            {
                continue; // a rule added to the table after the descriptors were built cannot be reported
            }

            var span = site.Locate(found.Start, found.Length, value);
            if (!(reported ??= new HashSet<(string, TextSpan)>()).Add((rule.Id, span)) || HasInlineAllow(tree, site.Top.Span, span, context.CancellationToken))
            {
                continue;
            }

            var properties = ImmutableDictionary.CreateBuilder<string, string?>();
            properties[DiagnosticProperties.ValueKind] = valueKind;
            properties[DiagnosticProperties.ConstantRequired] = valueContext.ConstantRequired ? "true" : "false";
            if (valueContext.SymbolName is { } symbolName)
            {
                properties[DiagnosticProperties.SymbolName] = symbolName;
            }

            context.ReportDiagnostic(Diagnostic.Create(descriptor, Location.Create(tree, span), properties.ToImmutable(), rule.Title, found.Finding.Redacted));
        }
    }

    /// <summary>Scans `NAME = "PREFIX VALUE"` (or `"VALUE"` without a name); findings are offsets into VALUE.</summary>
    private static List<ValueFinding>? Scan(string? name, string prefix, string value, string path)
    {
        var text = new StringBuilder(value.Length + prefix.Length + (name?.Length ?? 0) + 8);
        if (name is not null)
        {
            text.Append(name).Append(name.EndsWith(",", StringComparison.Ordinal) ? " " : " = ");
        }

        text.Append('"').Append(prefix);
        var valueStart = text.Length;
        text.Append(value).Append('"');
        return SecretEngine.ScanValue(text.ToString(), valueStart, value.Length, path);
    }

    /// <summary>One finding per overlapping span across scans: higher confidence, then severity, wins (as in the engine).</summary>
    private static List<ValueFinding> MostSpecific(IEnumerable<ValueFinding> findings)
    {
        var kept = new List<ValueFinding>();
        foreach (var f in findings.OrderByDescending(f => f.Finding.Rule.Confidence).ThenByDescending(f => f.Finding.Validation).ThenByDescending(f => f.Finding.Rule.Severity))
        {
            if (!kept.Any(k => f.Start < k.Start + k.Length && k.Start < f.Start + f.Length))
            {
                kept.Add(f);
            }
        }

        return kept.OrderBy(f => f.Start).ToList();
    }

    /// <summary>
    /// The name as the rules read it. A C# symbol whose last word is Key or Keys (SendGridKey, HmacKey, key) holding a
    /// random literal is a key, though config-file rules cannot treat the bare word "key" as secret-named; the suffix
    /// lets the generic secret rule, with all its value and name allowlists, judge it.
    /// </summary>
    private static string? RuleReadableName(string? name)
    {
        if (name is null)
        {
            return null;
        }

        string? last = null;
        foreach (var word in TestFixtures.Words(name))
        {
            last = word;
        }

        return last is not null && (last.Equals("key", StringComparison.OrdinalIgnoreCase) || last.Equals("keys", StringComparison.OrdinalIgnoreCase))
            ? name + "_secret"
            : name;
    }

    private static bool HasInlineAllow(SyntaxTree tree, TextSpan statement, TextSpan span, CancellationToken cancellationToken)
    {
        var text = tree.GetText(cancellationToken);
        var first = text.Lines.GetLineFromPosition(Math.Min(statement.Start, span.Start)).LineNumber;
        var last = text.Lines.GetLineFromPosition(span.End).LineNumber;
        for (var line = first; line <= last; line++)
        {
            if (text.Lines[line].ToString().IndexOf(Scanner.InlineAllowMarker, StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The outermost `+` concatenation (through parentheses) that a string part belongs to.</summary>
    private static ExpressionSyntax ConcatenationTop(ExpressionSyntax node)
    {
        var top = node;
        while (top.Parent is BinaryExpressionSyntax binary && binary.IsKind(SyntaxKind.AddExpression) ||
               top.Parent is ParenthesizedExpressionSyntax paren && paren.Parent is BinaryExpressionSyntax outer && outer.IsKind(SyntaxKind.AddExpression))
        {
            top = (ExpressionSyntax)top.Parent!;
        }

        return top;
    }

    private static SyntaxNode? FirstStringPart(ExpressionSyntax top)
    {
        foreach (var n in top.DescendantNodesAndSelf(n => n is BinaryExpressionSyntax or ParenthesizedExpressionSyntax))
        {
            if (n.IsKind(SyntaxKind.StringLiteralExpression) || n.IsKind(SyntaxKind.Utf8StringLiteralExpression) || n.IsKind(SyntaxKind.InterpolatedStringExpression))
            {
                return n;
            }
        }

        return null;
    }

    /// <summary>The value as written: literal text, with `$expression` where a part is not a literal.</summary>
    /// <returns>True when some part is not a literal (the semantic model may still fold it to a constant).</returns>
    private static bool BuildParts(ExpressionSyntax expression, List<ValuePart> parts, StringBuilder value)
    {
        switch (expression)
        {
            case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression) || literal.IsKind(SyntaxKind.Utf8StringLiteralExpression):
                var token = literal.Token;
                parts.Add(new ValuePart(value.Length, token.ValueText.Length, token.Span, LiteralText.Map(token), token));
                value.Append(token.ValueText);
                return false;
            case InterpolatedStringExpressionSyntax interpolated:
                foreach (var content in interpolated.Contents)
                {
                    if (content is InterpolatedStringTextSyntax textPart)
                    {
                        var t = textPart.TextToken;
                        parts.Add(new ValuePart(value.Length, t.ValueText.Length, t.Span, null, t));
                        value.Append(t.ValueText);
                    }
                    else
                    {
                        AppendHole(content, parts, value);
                    }
                }

                return interpolated.Contents.Any(c => c is InterpolationSyntax);
            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.AddExpression):
                var left = BuildParts(binary.Left, parts, value);
                var right = BuildParts(binary.Right, parts, value);
                return left || right;
            case ParenthesizedExpressionSyntax parenthesized:
                return BuildParts(parenthesized.Expression, parts, value);
            default:
                AppendHole(expression, parts, value);
                return true;
        }
    }

    /// <summary>
    /// A runtime part reads as a shell-style variable (`$options_Password`): rules' allowlists know a `$VAR` value is a
    /// reference, and unlike `{expr}` it does not look like a template that would allowlist the whole match around it.
    /// </summary>
    private static void AppendHole(SyntaxNode hole, List<ValuePart> parts, StringBuilder value)
    {
        var inner = hole is InterpolationSyntax interpolation ? interpolation.Expression.ToString() : hole.ToString();
        var text = new StringBuilder("$", Math.Min(inner.Length, MaxHoleText) + 2);
        foreach (var c in inner)
        {
            if (text.Length > MaxHoleText)
            {
                break;
            }

            text.Append(c < 128 && char.IsLetterOrDigit(c) ? c : '_');
        }

        if (text.Length == 1 || char.IsDigit(text[1]))
        {
            text.Insert(1, '_');
        }

        parts.Add(new ValuePart(value.Length, text.Length, hole.Span, null, default));
        value.Append(text);
    }

    private static SeparatedSyntaxList<ExpressionSyntax> ElementsOf(CollectionExpressionSyntax collection)
    {
        var list = new List<ExpressionSyntax>(collection.Elements.Count);
        foreach (var element in collection.Elements)
        {
            if (element is not ExpressionElementSyntax expressionElement)
            {
                return default;
            }

            list.Add(expressionElement.Expression);
        }

        return SyntaxFactory.SeparatedList(list);
    }

    private static SpecialType ElementType(ITypeSymbol? type) => type switch
    {
        IArrayTypeSymbol array => array.ElementType.SpecialType,
        INamedTypeSymbol { TypeArguments.Length: 1 } named => named.TypeArguments[0].SpecialType,
        _ => SpecialType.None,
    };

    /// <summary>Elements that are all literals, as the chars they spell and (when all are 0-255) as lowercase hex.</summary>
    private static ArrayValue? ArrayText(SeparatedSyntaxList<ExpressionSyntax> elements)
    {
        var chars = new StringBuilder(elements.Count);
        var hex = new StringBuilder(elements.Count * 2);
        var allBytes = true;
        foreach (var element in elements)
        {
            var e = element is CastExpressionSyntax cast ? cast.Expression : element;
            if (e is not LiteralExpressionSyntax literal)
            {
                return null;
            }

            switch (literal.Token.Value)
            {
                case char c:
                    chars.Append(c);
                    allBytes &= c <= 0xFF;
                    hex.Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case int i when i >= 0 && i <= 0xFFFF:
                    chars.Append((char)i);
                    allBytes &= i <= 0xFF;
                    hex.Append(i.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default:
                    return null;
            }
        }

        return new ArrayValue(chars.ToString(), allBytes && elements.Count >= MinKeyBytes ? hex.ToString() : null);
    }

    private sealed class ArrayValue
    {
        public ArrayValue(string chars, string? bytes)
        {
            Chars = chars;
            Bytes = bytes;
        }

        public string Chars { get; }

        public string? Bytes { get; }
    }

    /// <summary>Per-compilation facts, and per-tree settings read only when a finding needs them.</summary>
    private sealed class CompilationFacts
    {
        private readonly bool isTestProject;
        private readonly AnalyzerConfigOptionsProvider options;

        public CompilationFacts(bool isTestProject, AnalyzerConfigOptionsProvider options)
        {
            this.isTestProject = isTestProject;
            this.options = options;
        }

        /// <summary>Test project, fixture-named symbol or fixture-named type, unless the tree's options ask to report those.</summary>
        public bool IsTestCode(SyntaxNode node, string? symbolName)
        {
            if (AnalyzerSettings.Read(options.GetOptions(node.SyntaxTree)).ReportTestFixtures)
            {
                return false;
            }

            if (isTestProject || TestFixtures.IsFixtureName(symbolName))
            {
                return true;
            }

            for (var n = node.Parent; n is not null; n = n.Parent)
            {
                if (n is BaseTypeDeclarationSyntax type && TestFixtures.IsFixtureName(type.Identifier.ValueText))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
