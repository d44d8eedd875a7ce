// Offers the fixes for a hard-coded secret: read it from an environment variable, from IConfiguration, or suppress it with a justification.
using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace SecretScan.Analyzers.CodeFixes;

[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SecretCodeFixProvider))]
[Shared]
public sealed class SecretCodeFixProvider : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = RuleDiagnostics.All.Select(d => d.Id).ToImmutableArray();

    // Each document is fixed in one edit, so fixes in one literal or one member never collide.
    public override FixAllProvider GetFixAllProvider() =>
        FixAllProvider.Create(async (context, document, diagnostics) =>
            await SecretFixes.ApplyAsync(document, diagnostics, context.CodeActionEquivalenceKey ?? "", context.CancellationToken).ConfigureAwait(false));

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var document = context.Document;
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var target = SecretFixes.FindTarget(root, diagnostic);
            if (target is null)
            {
                continue;
            }

            if (SecretFixes.CanReplace(target, diagnostic))
            {
                var variable = SecretFixes.EnvironmentVariableName(diagnostic);
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Read {variable} from an environment variable",
                        c => SecretFixes.ApplyAsync(document, ImmutableArray.Create(diagnostic), SecretFixes.EnvironmentVariableKey, c),
                        SecretFixes.EnvironmentVariableKey),
                    diagnostic);

                if (SecretFixes.FindConfiguration(model, target, context.CancellationToken) is { } configuration)
                {
                    var key = SecretFixes.ConfigurationKey(diagnostic, target);
                    context.RegisterCodeFix(
                        CodeAction.Create(
                            $"Read '{key}' from {configuration.Name}",
                            c => SecretFixes.ApplyAsync(document, ImmutableArray.Create(diagnostic), SecretFixes.ConfigurationKeyFix, c),
                            SecretFixes.ConfigurationKeyFix),
                        diagnostic);
                }
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Suppress {diagnostic.Id} with a justification",
                    c => SecretFixes.ApplyAsync(document, ImmutableArray.Create(diagnostic), SecretFixes.SuppressKey, c),
                    SecretFixes.SuppressKey),
                diagnostic);
        }
    }
}
