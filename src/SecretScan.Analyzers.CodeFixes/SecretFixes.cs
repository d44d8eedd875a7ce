// The edits behind the code fixes, applied to all of a document's diagnostics at once (one fix or Fix All).
using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace SecretScan.Analyzers.CodeFixes;

internal static class SecretFixes
{
    public const string EnvironmentVariableKey = "SecretScan.EnvironmentVariable";
    public const string ConfigurationKeyFix = "SecretScan.Configuration";
    public const string SuppressKey = "SecretScan.Suppress";

    public const string Justification = "TODO: say why this value is not a secret";

    /// <summary>The expression that holds the value the diagnostic points into: a literal, a concatenation, an array.</summary>
    public static ExpressionSyntax? FindTarget(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Location.IsInSource || diagnostic.Location.SourceSpan.End > root.FullSpan.End)
        {
            return null;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var isArray = Property(diagnostic, DiagnosticProperties.ValueKind) == DiagnosticProperties.ArrayKind;
        for (var n = node; n is not null; n = n.Parent)
        {
            if (isArray && n is ArrayCreationExpressionSyntax or ImplicitArrayCreationExpressionSyntax or CollectionExpressionSyntax or InitializerExpressionSyntax { Parent: EqualsValueClauseSyntax })
            {
                return (ExpressionSyntax)n;
            }

            if (!isArray && (n.IsKind(SyntaxKind.StringLiteralExpression) || n.IsKind(SyntaxKind.Utf8StringLiteralExpression) || n.IsKind(SyntaxKind.InterpolatedStringExpression)))
            {
                var top = (ExpressionSyntax)n;
                while (top.Parent is BinaryExpressionSyntax binary && binary.IsKind(SyntaxKind.AddExpression) || top.Parent is ParenthesizedExpressionSyntax { Parent: BinaryExpressionSyntax })
                {
                    top = (ExpressionSyntax)top.Parent!;
                }

                return top;
            }

            if (n is StatementSyntax or MemberDeclarationSyntax)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>A constant string that can become a run-time read: not an array, not UTF-8, not where C# needs a constant.</summary>
    public static bool CanReplace(ExpressionSyntax target, Diagnostic diagnostic)
    {
        if (Property(diagnostic, DiagnosticProperties.ValueKind) != DiagnosticProperties.LiteralKind ||
            Property(diagnostic, DiagnosticProperties.ConstantRequired) == "true" ||
            !IsConstantString(target))
        {
            return false;
        }

        foreach (var ancestor in target.Ancestors())
        {
            switch (ancestor)
            {
                case AttributeSyntax or CaseSwitchLabelSyntax or ConstantPatternSyntax or ParameterSyntax or EnumMemberDeclarationSyntax:
                    return false;
                case StatementSyntax or MemberDeclarationSyntax:
                    return true;
            }
        }

        return true;
    }

    /// <summary>NAME_IN_SCREAMING_SNAKE_CASE from the symbol (binanceApiSecret, Binance:ApiSecret → BINANCE_API_SECRET).</summary>
    public static string EnvironmentVariableName(Diagnostic diagnostic)
    {
        var words = Words(SymbolName(diagnostic));
        if (words.Count == 0)
        {
            words = Words(diagnostic.Descriptor.CustomTags.LastOrDefault() ?? diagnostic.Id);
        }

        return string.Join("_", words.Select(w => w.ToUpperInvariant()));
    }

    /// <summary>A configuration key: a key as written (Binance:ApiSecret), else Type:Member in PascalCase.</summary>
    public static string ConfigurationKey(Diagnostic diagnostic, SyntaxNode target)
    {
        var symbol = SymbolName(diagnostic);
        if (symbol.IndexOf(':') >= 0)
        {
            return symbol;
        }

        var member = string.Concat(Words(symbol).Select(w => char.ToUpperInvariant(w[0]) + w.Substring(1)));
        if (member.Length == 0)
        {
            member = "Secret";
        }

        var type = target.Ancestors().OfType<BaseTypeDeclarationSyntax>().FirstOrDefault()?.Identifier.ValueText;
        return type is null ? member : type + ":" + member;
    }

    /// <summary>An IConfiguration the code at the target can use: a local, a parameter, or a field or property it may reach.</summary>
    public static ISymbol? FindConfiguration(SemanticModel model, SyntaxNode target, CancellationToken cancellationToken)
    {
        var position = target.SpanStart;
        var instanceAllowed = InstanceMembersAllowed(target);
        ISymbol? best = null;
        foreach (var symbol in model.LookupSymbols(position))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var type = symbol switch
            {
                ILocalSymbol local => local.Type,
                IParameterSymbol parameter => parameter.Type,
                IFieldSymbol field when field.IsStatic || instanceAllowed => field.Type,
                IPropertySymbol property when property.IsStatic || instanceAllowed => property.Type,
                _ => null,
            };
            if (type is not null && IsConfiguration(type) && (best is null || Rank(symbol) < Rank(best)))
            {
                best = symbol;
            }
        }

        return best;
    }

    public static async Task<Document> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string fix, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var root = editor.OriginalRoot;
        var model = editor.SemanticModel;
        var replaced = new HashSet<SyntaxNode>();
        var constDeclarations = new HashSet<SyntaxNode>();
        var suppressed = new HashSet<(SyntaxNode, string)>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            var target = FindTarget(root, diagnostic);
            if (target is null)
            {
                continue;
            }

            switch (fix)
            {
                case EnvironmentVariableKey when CanReplace(target, diagnostic) && replaced.Add(target):
                    var variable = EnvironmentVariableName(diagnostic);
                    Replace(editor, target, $"{TypeName(model, target, "System", "Environment")}.GetEnvironmentVariable(\"{variable}\") ?? throw new {TypeName(model, target, "System", "InvalidOperationException")}(\"Set the {variable} environment variable.\")");
                    AddConstDeclaration(target, constDeclarations);
                    break;
                case ConfigurationKeyFix when CanReplace(target, diagnostic) && FindConfiguration(model, target, cancellationToken) is { } configuration && replaced.Add(target):
                    var key = ConfigurationKey(diagnostic, target);
                    Replace(editor, target, $"{configuration.Name}[\"{key}\"] ?? throw new {TypeName(model, target, "System", "InvalidOperationException")}(\"Set the configuration value '{key}'.\")");
                    AddConstDeclaration(target, constDeclarations);
                    break;
                case SuppressKey:
                    Suppress(editor, target, diagnostic, suppressed, TypeName(model, target, "System.Diagnostics.CodeAnalysis", "SuppressMessage"));
                    break;
            }
        }

        foreach (var declaration in constDeclarations)
        {
            editor.ReplaceNode(declaration, (current, _) => WithoutConst(current));
        }

        return editor.GetChangedDocument();
    }

    private static void Replace(DocumentEditor editor, ExpressionSyntax target, string code)
    {
        ExpressionSyntax replacement = SyntaxFactory.ParseExpression(code);
        if (NeedsParentheses(target))
        {
            replacement = SyntaxFactory.ParenthesizedExpression(replacement);
        }

        editor.ReplaceNode(target, replacement.WithTriviaFrom(target).WithAdditionalAnnotations(Simplifier.Annotation, Formatter.Annotation));
    }

    /// <summary>`a ?? throw ...` binds loosest of all: wrap it where it would otherwise join a bigger expression.</summary>
    private static bool NeedsParentheses(ExpressionSyntax target) => target.Parent switch
    {
        BinaryExpressionSyntax binary => !(binary.IsKind(SyntaxKind.CoalesceExpression) && binary.Right == target),
        MemberAccessExpressionSyntax or ElementAccessExpressionSyntax or ConditionalAccessExpressionSyntax or CastExpressionSyntax
            or PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax or InvocationExpressionSyntax => true,
        ConditionalExpressionSyntax conditional => conditional.Condition == target,
        _ => false,
    };

    /// <summary>A const that now holds a run-time read: fields become static readonly, locals plain locals.</summary>
    private static void AddConstDeclaration(SyntaxNode target, HashSet<SyntaxNode> declarations)
    {
        foreach (var ancestor in target.Ancestors())
        {
            switch (ancestor)
            {
                case FieldDeclarationSyntax field when field.Modifiers.Any(SyntaxKind.ConstKeyword):
                    declarations.Add(field);
                    return;
                case LocalDeclarationStatementSyntax local when local.IsConst:
                    declarations.Add(local);
                    return;
                case StatementSyntax or MemberDeclarationSyntax:
                    return;
            }
        }
    }

    private static SyntaxNode WithoutConst(SyntaxNode declaration)
    {
        switch (declaration)
        {
            case FieldDeclarationSyntax field:
                var modifiers = new List<SyntaxToken>();
                foreach (var modifier in field.Modifiers)
                {
                    if (modifier.IsKind(SyntaxKind.ConstKeyword))
                    {
                        modifiers.Add(SyntaxFactory.Token(modifier.LeadingTrivia, SyntaxKind.StaticKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space)));
                        modifiers.Add(SyntaxFactory.Token(SyntaxTriviaList.Empty, SyntaxKind.ReadOnlyKeyword, modifier.TrailingTrivia));
                    }
                    else
                    {
                        modifiers.Add(modifier);
                    }
                }

                return field.WithModifiers(SyntaxFactory.TokenList(modifiers));
            case LocalDeclarationStatementSyntax local:
                var constToken = local.Modifiers.First(m => m.IsKind(SyntaxKind.ConstKeyword));
                var rest = local.Modifiers.Remove(constToken);
                var updated = local.WithModifiers(rest);
                return rest.Count == 0 ? updated.WithLeadingTrivia(constToken.LeadingTrivia) : updated;
            default:
                return declaration;
        }
    }

    /// <summary>[SuppressMessage] with a justification on the enclosing member; #pragma around a top-level statement.</summary>
    private static void Suppress(DocumentEditor editor, SyntaxNode target, Diagnostic diagnostic, HashSet<(SyntaxNode, string)> suppressed, string attributeName)
    {
        var member = target.Ancestors().FirstOrDefault(a => a is MemberDeclarationSyntax and not GlobalStatementSyntax and not NamespaceDeclarationSyntax and not FileScopedNamespaceDeclarationSyntax);
        if (member is not null && target.Ancestors().OfType<GlobalStatementSyntax>().FirstOrDefault() is null)
        {
            if (!suppressed.Add((member, diagnostic.Id)))
            {
                return;
            }

            var attribute = SyntaxFactory.ParseCompilationUnit(
                    $"[{attributeName}(\"{diagnostic.Descriptor.Category}\", \"{diagnostic.Id}:{Escape(diagnostic.Descriptor.Title.ToString())}\", Justification = \"{Justification}\")] class C {{ }}")
                .Members[0].AttributeLists[0];
            var eol = SyntaxFactory.EndOfLine(target.SyntaxTree.GetText().ToString().Contains("\r\n") ? "\r\n" : "\n");
            editor.ReplaceNode(member, (current, _) =>
            {
                // The attribute takes the member's leading trivia (comments, indentation); the member keeps the indentation.
                var leading = current.GetLeadingTrivia();
                var indentation = leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia) ? leading[leading.Count - 1] : default;
                var list = attribute.WithLeadingTrivia(leading).WithTrailingTrivia(eol);
                var declaration = (MemberDeclarationSyntax)current.WithLeadingTrivia(indentation == default ? SyntaxTriviaList.Empty : SyntaxFactory.TriviaList(indentation));
                return declaration.WithAttributeLists(declaration.AttributeLists.Insert(0, list));
            });
            return;
        }

        var statement = target.Ancestors().OfType<GlobalStatementSyntax>().FirstOrDefault() as SyntaxNode ?? target.Ancestors().OfType<StatementSyntax>().FirstOrDefault();
        if (statement is null || !suppressed.Add((statement, diagnostic.Id)))
        {
            return;
        }

        editor.ReplaceNode(statement, (current, _) =>
        {
            var eol = SyntaxFactory.EndOfLine("\n");
            var indentation = current.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).LastOrDefault();
            var disable = SyntaxFactory.Trivia(SyntaxFactory.PragmaWarningDirectiveTrivia(
                    SyntaxFactory.Token(SyntaxKind.DisableKeyword),
                    SyntaxFactory.SingletonSeparatedList<ExpressionSyntax>(SyntaxFactory.IdentifierName(diagnostic.Id)),
                    true)
                .WithEndOfDirectiveToken(SyntaxFactory.Token(SyntaxFactory.TriviaList(SyntaxFactory.Space, SyntaxFactory.Comment("// " + Justification)), SyntaxKind.EndOfDirectiveToken, SyntaxFactory.TriviaList(eol))));
            var restore = SyntaxFactory.Trivia(SyntaxFactory.PragmaWarningDirectiveTrivia(
                    SyntaxFactory.Token(SyntaxKind.RestoreKeyword),
                    SyntaxFactory.SingletonSeparatedList<ExpressionSyntax>(SyntaxFactory.IdentifierName(diagnostic.Id)),
                    true)
                .WithEndOfDirectiveToken(SyntaxFactory.Token(SyntaxFactory.TriviaList(), SyntaxKind.EndOfDirectiveToken, SyntaxFactory.TriviaList(eol))));
            var leading = current.GetLeadingTrivia().Add(disable);
            if (indentation != default)
            {
                leading = leading.Add(indentation);
            }

            var trailing = current.GetTrailingTrivia();
            var after = indentation != default ? trailing.Add(indentation).Add(restore) : trailing.Add(restore);
            return current.WithLeadingTrivia(leading).WithTrailingTrivia(after);
        });
    }

    /// <summary>The short type name where a using brings it into scope, else the namespace-qualified one.</summary>
    private static string TypeName(SemanticModel model, SyntaxNode at, string ns, string name)
    {
        foreach (var candidate in new[] { name, name + "Attribute" })
        {
            foreach (var symbol in model.LookupNamespacesAndTypes(at.SpanStart, name: candidate))
            {
                if (symbol is INamedTypeSymbol type && type.ContainingNamespace?.ToDisplayString() == ns)
                {
                    return name;
                }
            }
        }

        return ns + "." + name;
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"");

    private static bool IsConstantString(ExpressionSyntax expression) => expression switch
    {
        LiteralExpressionSyntax literal => literal.IsKind(SyntaxKind.StringLiteralExpression),
        InterpolatedStringExpressionSyntax interpolated => interpolated.Contents.All(c => c is InterpolatedStringTextSyntax),
        BinaryExpressionSyntax binary => binary.IsKind(SyntaxKind.AddExpression) && IsConstantString(binary.Left) && IsConstantString(binary.Right),
        ParenthesizedExpressionSyntax parenthesized => IsConstantString(parenthesized.Expression),
        _ => false,
    };

    /// <summary>Instance members are reachable from method, accessor and constructor bodies of instance members only.</summary>
    private static bool InstanceMembersAllowed(SyntaxNode target)
    {
        foreach (var ancestor in target.Ancestors())
        {
            switch (ancestor)
            {
                case AccessorDeclarationSyntax accessor:
                    return accessor.Parent?.Parent is MemberDeclarationSyntax owner && !owner.Modifiers.Any(SyntaxKind.StaticKeyword);
                case BaseMethodDeclarationSyntax method:
                    return !method.Modifiers.Any(SyntaxKind.StaticKeyword);
                case PropertyDeclarationSyntax property:
                    return property.ExpressionBody is not null && !property.Modifiers.Any(SyntaxKind.StaticKeyword);
                case FieldDeclarationSyntax or GlobalStatementSyntax or BaseTypeDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }

    private static bool IsConfiguration(ITypeSymbol type)
    {
        static bool Is(ITypeSymbol t) => t.Name == "IConfiguration" && t.ContainingNamespace?.ToDisplayString() == "Microsoft.Extensions.Configuration";
        return Is(type) || type.AllInterfaces.Any(Is);
    }

    // Locals and parameters first: they are certainly in scope where a member might be shadowed.
    private static int Rank(ISymbol symbol) => symbol switch
    {
        ILocalSymbol => 0,
        IParameterSymbol => 1,
        IPropertySymbol => 2,
        _ => 3,
    };

    private static string SymbolName(Diagnostic diagnostic) => Property(diagnostic, DiagnosticProperties.SymbolName) ?? "";

    private static string? Property(Diagnostic diagnostic, string key) => diagnostic.Properties.TryGetValue(key, out var value) ? value : null;

    /// <summary>Words of a name, split at case changes and non-alphanumerics, digits kept with their word.</summary>
    private static List<string> Words(string name)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsLetterOrDigit(c) || c > 127)
            {
                Flush();
                continue;
            }

            var boundary = current.Length > 0 && char.IsUpper(c) &&
                (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1])));
            if (boundary)
            {
                Flush();
            }

            current.Append(c);
        }

        Flush();
        return words;

        void Flush()
        {
            if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
    }
}
