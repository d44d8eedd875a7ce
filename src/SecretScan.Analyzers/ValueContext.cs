// What a literal value is assigned to, as the compiler sees it: the symbol, key or parameter that names it.
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SecretScan.Analyzers;

/// <summary>The name next to a value, so context rules (`binance...secret = "..."`) see C# as they see config files.</summary>
internal sealed class ValueContext
{
    public static readonly ValueContext None = new(null, null, "", false, false);

    private const int MaxNameLength = 80;

    // Calls that turn a secret into another representation of itself: the name belongs to what receives the result.
    private static readonly HashSet<string> TransparentCalls = new(StringComparer.Ordinal)
    {
        "GetBytes", "FromBase64String", "FromHexString", "ToCharArray", "AsSpan", "AsMemory", "Trim", "ToSecureString",
    };

    public ValueContext(string? name, string? symbolName, string prefix, bool isPattern, bool constantRequired, string? callKey = null)
    {
        CallKey = callKey;
        Name = name;
        SymbolName = symbolName;
        Prefix = prefix;
        IsPattern = isPattern;
        ConstantRequired = constantRequired;
    }

    /// <summary>The name as the rules should read it (`apiSecret`, `value.Authorization`, `Binance:ApiSecret`).</summary>
    public string? Name { get; }

    /// <summary>
    /// The constant first argument of a key/value call (`Add("Authorization", ...)`, `new Client("AKIA...", ...)`): the
    /// value is also scanned as the call reads, `"KEY", "VALUE"`, where pair rules look for it.
    /// </summary>
    public string? CallKey { get; }

    /// <summary>The symbol or key that holds the value, for the code fixes' environment variable and configuration key.</summary>
    public string? SymbolName { get; }

    /// <summary>Text known to precede the value where it is used (the scheme of an AuthenticationHeaderValue).</summary>
    public string Prefix { get; }

    /// <summary>A regular expression (Regex argument, [GeneratedRegex], [StringSyntax("Regex")]): never a secret.</summary>
    public bool IsPattern { get; }

    /// <summary>The position needs a compile-time constant (attribute argument, default value, case label).</summary>
    public bool ConstantRequired { get; }

    public static ValueContext Resolve(ExpressionSyntax value, SemanticModel model, CancellationToken cancellationToken)
    {
        SyntaxNode node = value;
        var constantRequired = false;
        for (var depth = 0; depth < 32 && node.Parent is { } parent; depth++)
        {
            switch (parent)
            {
                case ParenthesizedExpressionSyntax or CastExpressionSyntax or CheckedExpressionSyntax or AwaitExpressionSyntax
                    or PostfixUnaryExpressionSyntax or RefExpressionSyntax:
                    node = parent;
                    continue;
                case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.CoalesceExpression) && binary.Right == node:
                    node = parent;
                    continue;
                case ConditionalExpressionSyntax conditional when conditional.Condition != node:
                    node = parent;
                    continue;
                case SwitchExpressionArmSyntax arm when arm.Expression == node && arm.Parent is SwitchExpressionSyntax switchExpression:
                    node = switchExpression;
                    continue;
                case InitializerExpressionSyntax initializer:
                    if (initializer.IsKind(SyntaxKind.ComplexElementInitializerExpression))
                    {
                        return FromElementInitializer(initializer, node, model, cancellationToken);
                    }

                    if (initializer.IsKind(SyntaxKind.ObjectInitializerExpression))
                    {
                        return None;
                    }

                    // A collection or array initializer: the elements share the name of the whole collection.
                    node = initializer.Parent is BaseObjectCreationExpressionSyntax or ArrayCreationExpressionSyntax
                        or ImplicitArrayCreationExpressionSyntax or StackAllocArrayCreationExpressionSyntax
                        ? initializer.Parent
                        : initializer;
                    continue;
                case ExpressionElementSyntax or CollectionExpressionSyntax:
                    node = parent;
                    continue;
                case LambdaExpressionSyntax lambda when lambda.Body == node:
                    node = parent;
                    continue;
                case ArrowExpressionClauseSyntax arrow:
                    return Named(MemberName(arrow.Parent), constantRequired);
                case ReturnStatementSyntax or YieldStatementSyntax:
                    return FromEnclosingMember(parent, constantRequired);
                case EqualsValueClauseSyntax equals:
                    return FromEqualsValue(equals);
                case AssignmentExpressionSyntax assignment when assignment.Right == node:
                    return Named(AssignedName(assignment.Left, model, cancellationToken), constantRequired);
                case AnonymousObjectMemberDeclaratorSyntax { NameEquals: { } anonymousName }:
                    return Named(anonymousName.Name.Identifier.ValueText, constantRequired);
                case ArgumentSyntax argument:
                    if (argument.Parent is TupleExpressionSyntax tuple)
                    {
                        return FromTupleElement(tuple, argument, model, cancellationToken) ?? ResolveFrom(tuple, model, cancellationToken);
                    }

                    return FromArgument(argument, node, model, cancellationToken);
                case AttributeArgumentSyntax attributeArgument:
                    return FromAttributeArgument(attributeArgument, model, cancellationToken);
                case MemberAccessExpressionSyntax access when access.Expression == node && access.Parent is InvocationExpressionSyntax call
                    && TransparentCalls.Contains(access.Name.Identifier.ValueText):
                    node = call;
                    continue;
                case CaseSwitchLabelSyntax or ConstantPatternSyntax or CasePatternSwitchLabelSyntax:
                    return None;
                default:
                    return None;
            }
        }

        return None;
    }

    private static ValueContext ResolveFrom(ExpressionSyntax expression, SemanticModel model, CancellationToken cancellationToken) =>
        Resolve(expression, model, cancellationToken);

    private static ValueContext Named(string? name, bool constantRequired = false, string prefix = "") =>
        name is null ? None : new ValueContext(Clean(name), name, prefix, false, constantRequired);

    private static ValueContext FromEqualsValue(EqualsValueClauseSyntax equals) => equals.Parent switch
    {
        VariableDeclaratorSyntax declarator => Named(declarator.Identifier.ValueText),
        PropertyDeclarationSyntax property => Named(property.Identifier.ValueText),
        ParameterSyntax parameter => Named(parameter.Identifier.ValueText, constantRequired: true),
        _ => None,
    };

    private static ValueContext FromEnclosingMember(SyntaxNode statement, bool constantRequired)
    {
        for (var node = statement.Parent; node is not null; node = node.Parent)
        {
            switch (node)
            {
                case AnonymousFunctionExpressionSyntax:
                    return None;
                case LocalFunctionStatementSyntax or MemberDeclarationSyntax or AccessorDeclarationSyntax:
                    return Named(MemberName(node), constantRequired);
            }
        }

        return None;
    }

    /// <summary>The name of a property, method, indexer or local function (an accessor's is its property's).</summary>
    private static string? MemberName(SyntaxNode? member) => member switch
    {
        AccessorDeclarationSyntax accessor => MemberName(accessor.Parent?.Parent),
        PropertyDeclarationSyntax property => property.Identifier.ValueText,
        MethodDeclarationSyntax method => method.Identifier.ValueText,
        LocalFunctionStatementSyntax local => local.Identifier.ValueText,
        _ => null,
    };

    private static string? AssignedName(ExpressionSyntax left, SemanticModel model, CancellationToken cancellationToken) => left switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        ElementAccessExpressionSyntax element => KeyOf(element.ArgumentList.Arguments, model, cancellationToken) ?? AssignedName(element.Expression, model, cancellationToken),
        ImplicitElementAccessSyntax implicitElement => KeyOf(implicitElement.ArgumentList.Arguments, model, cancellationToken),
        _ => null,
    };

    private static string? KeyOf(SeparatedSyntaxList<ArgumentSyntax> arguments, SemanticModel model, CancellationToken cancellationToken) =>
        arguments.Count == 1 ? KeyText(arguments[0].Expression, model, cancellationToken) : null;

    /// <summary>A constant string that reads like a key or identifier ("Binance:ApiSecret", "X-Api-Key"), else null.</summary>
    private static string? KeyText(ExpressionSyntax expression, SemanticModel model, CancellationToken cancellationToken)
    {
        string? text;
        if (expression is LiteralExpressionSyntax literal)
        {
            text = literal.IsKind(SyntaxKind.StringLiteralExpression) ? literal.Token.ValueText : null;
        }
        else if (expression is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax)
        {
            text = model.GetConstantValue(expression, cancellationToken) is { HasValue: true, Value: string s } ? s : null;
        }
        else
        {
            text = null;
        }

        if (text is null || text.Length == 0 || text.Length > 64)
        {
            return null;
        }

        foreach (var c in text)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == ':' || c == '/'))
            {
                return null;
            }
        }

        return text;
    }

    private static ValueContext FromElementInitializer(InitializerExpressionSyntax initializer, SyntaxNode element, SemanticModel model, CancellationToken cancellationToken)
    {
        var index = initializer.Expressions.IndexOf(e => e == element);
        if (index < 1)
        {
            return None;
        }

        return Named(KeyText(initializer.Expressions[0], model, cancellationToken));
    }

    private static ValueContext? FromTupleElement(TupleExpressionSyntax tuple, ArgumentSyntax argument, SemanticModel model, CancellationToken cancellationToken)
    {
        if (argument.NameColon is { } nameColon)
        {
            return Named(nameColon.Name.Identifier.ValueText);
        }

        var index = tuple.Arguments.IndexOf(argument);

        // var (user, password) = ("admin", "...");
        if (tuple.Parent is AssignmentExpressionSyntax assignment && assignment.Right == tuple)
        {
            var name = assignment.Left switch
            {
                DeclarationExpressionSyntax { Designation: ParenthesizedVariableDesignationSyntax designation } when index < designation.Variables.Count =>
                    (designation.Variables[index] as SingleVariableDesignationSyntax)?.Identifier.ValueText,
                TupleExpressionSyntax left when index < left.Arguments.Count => left.Arguments[index].Expression switch
                {
                    DeclarationExpressionSyntax { Designation: SingleVariableDesignationSyntax single } => single.Identifier.ValueText,
                    IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                    _ => null,
                },
                _ => null,
            };
            if (name is not null)
            {
                return Named(name);
            }
        }

        // (string User, string Password) Admin() => ("admin", "...");
        if (model.GetTypeInfo(tuple, cancellationToken).ConvertedType is INamedTypeSymbol { IsTupleType: true } type &&
            index >= 0 && index < type.TupleElements.Length)
        {
            var element = type.TupleElements[index];
            if (!element.Name.Equals("Item" + (index + 1), StringComparison.Ordinal))
            {
                return Named(element.Name);
            }
        }

        return null;
    }

    private static ValueContext FromArgument(ArgumentSyntax argument, SyntaxNode value, SemanticModel model, CancellationToken cancellationToken)
    {
        if (argument.Parent is BracketedArgumentListSyntax)
        {
            // An indexer key (`config["Stripe:Key"]`): a name, not a value.
            return None;
        }

        if (argument.Parent is not ArgumentListSyntax list || list.Parent is not ExpressionSyntax call)
        {
            return None;
        }

        var parameter = ParameterOf(argument, call, list, model, cancellationToken);
        var method = parameter?.ContainingSymbol as IMethodSymbol;
        if (method is not null && TransparentCalls.Contains(method.Name) && call is InvocationExpressionSyntax)
        {
            return Resolve(call, model, cancellationToken);
        }

        if (IsPatternParameter(parameter))
        {
            return new ValueContext(null, null, "", true, false);
        }

        var index = list.Arguments.IndexOf(argument);

        // new AuthenticationHeaderValue("Bearer", "...") is an Authorization header.
        if (index == 1 && method?.MethodKind == MethodKind.Constructor && method.ContainingType?.Name == "AuthenticationHeaderValue" &&
            KeyText(list.Arguments[0].Expression, model, cancellationToken) is { } scheme)
        {
            return new ValueContext("Authorization", parameter?.Name, scheme + " ", false, false);
        }

        var parameterName = argument.NameColon?.Name.Identifier.ValueText ?? parameter?.Name;

        // Add("Authorization", "..."), SetEnvironmentVariable("API_TOKEN", "..."), new NetworkCredential("svc", "..."):
        // the first constant names the value, and the parameter name tells what it is.
        var key = index >= 1 && argument.NameColon is null ? KeyText(list.Arguments[0].Expression, model, cancellationToken) : null;
        var name = key is null ? parameterName : parameterName is null ? key : parameterName + "." + key;
        return name is null ? None : new ValueContext(Clean(name), key ?? parameterName, "", false, false, key);
    }

    private static IParameterSymbol? ParameterOf(ArgumentSyntax argument, ExpressionSyntax call, ArgumentListSyntax list, SemanticModel model, CancellationToken cancellationToken)
    {
        var symbol = model.GetSymbolInfo(call, cancellationToken) is var info && info.Symbol is IMethodSymbol m
            ? m
            : info.CandidateSymbols.Length == 1 ? info.CandidateSymbols[0] as IMethodSymbol : null;
        if (symbol is null)
        {
            return null;
        }

        if (argument.NameColon is { } nameColon)
        {
            return symbol.Parameters.FirstOrDefault(p => p.Name == nameColon.Name.Identifier.ValueText);
        }

        var index = list.Arguments.IndexOf(argument);
        if (index < symbol.Parameters.Length)
        {
            return symbol.Parameters[index];
        }

        return symbol.Parameters.Length > 0 && symbol.Parameters[symbol.Parameters.Length - 1].IsParams ? symbol.Parameters[symbol.Parameters.Length - 1] : null;
    }

    private static ValueContext FromAttributeArgument(AttributeArgumentSyntax argument, SemanticModel model, CancellationToken cancellationToken)
    {
        if (argument.Parent?.Parent is not AttributeSyntax attribute)
        {
            return None;
        }

        var attributeName = attribute.Name.ToString();
        if (attributeName.EndsWith("GeneratedRegex", StringComparison.Ordinal) || attributeName.EndsWith("GeneratedRegexAttribute", StringComparison.Ordinal) ||
            attributeName.EndsWith("RegularExpression", StringComparison.Ordinal) || attributeName.EndsWith("RegularExpressionAttribute", StringComparison.Ordinal))
        {
            return new ValueContext(null, null, "", true, true);
        }

        if (argument.NameEquals is { } nameEquals)
        {
            return Named(nameEquals.Name.Identifier.ValueText, constantRequired: true);
        }

        if (model.GetSymbolInfo(attribute, cancellationToken).Symbol is not IMethodSymbol constructor)
        {
            return None;
        }

        var parameterName = argument.NameColon?.Name.Identifier.ValueText;
        IParameterSymbol? parameter = null;
        if (parameterName is null)
        {
            var positional = attribute.ArgumentList!.Arguments.IndexOf(argument);
            parameter = positional >= 0 && positional < constructor.Parameters.Length ? constructor.Parameters[positional] : null;
        }
        else
        {
            parameter = constructor.Parameters.FirstOrDefault(p => p.Name == parameterName);
        }

        if (IsPatternParameter(parameter))
        {
            return new ValueContext(null, null, "", true, true);
        }

        return Named(parameter?.Name ?? parameterName, constantRequired: true);
    }

    private static bool IsPatternParameter(IParameterSymbol? parameter)
    {
        if (parameter is null)
        {
            return false;
        }

        if (parameter.Name is "pattern" or "regex" or "regularExpression")
        {
            return true;
        }

        foreach (var attribute in parameter.GetAttributes())
        {
            if (attribute.AttributeClass?.Name == "StringSyntaxAttribute" && attribute.ConstructorArguments.Length > 0 &&
                attribute.ConstructorArguments[0].Value is string syntax && syntax == "Regex")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Names go into `NAME = "VALUE"`: keep the characters rules read as a name, and a readable length.</summary>
    private static string Clean(string name)
    {
        var chars = new char[Math.Min(name.Length, MaxNameLength)];
        for (var i = 0; i < chars.Length; i++)
        {
            var c = name[i];
            chars[i] = char.IsLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == ':' ? c : '_';
        }

        return new string(chars);
    }
}
