// The code fixes: environment variable, IConfiguration lookup, justified suppression, and Fix All at every scope.
using Microsoft.CodeAnalysis.Testing;
using SecretScan.Analyzers.CodeFixes;
using static SecretScan.Analyzers.Tests.Verifier;

namespace SecretScan.Analyzers.Tests;

public class CodeFixTests
{
    private const string Generic = "SS1904";

    private const string Configuration = """
        namespace Microsoft.Extensions.Configuration { public interface IConfiguration { string? this[string key] { get; set; } } }
        """;

    [Fact]
    public async Task EnvironmentVariableNamedAfterTheSymbol()
    {
        var secret = Fakes.HighEntropy();
        await FixAsync($$"""
            using System;
            class Exchange
            {
                static readonly string BinanceApiSecret = "{|#0:{{secret}}|}";
            }
            """, """
            using System;
            class Exchange
            {
                static readonly string BinanceApiSecret = Environment.GetEnvironmentVariable("BINANCE_API_SECRET") ?? throw new InvalidOperationException("Set the BINANCE_API_SECRET environment variable.");
            }
            """, SecretFixes.EnvironmentVariableKey, new[] { Diagnostic(Generic).WithLocation(0) });
    }

    [Fact]
    public async Task ConstFieldBecomesStaticReadonly()
    {
        var secret = Fakes.HighEntropy();
        await FixAsync($$"""
            using System;
            class Keys
            {
                public const string ClientSecret = "{|#0:{{secret}}|}";
            }
            """, """
            using System;
            class Keys
            {
                public static readonly string ClientSecret = Environment.GetEnvironmentVariable("CLIENT_SECRET") ?? throw new InvalidOperationException("Set the CLIENT_SECRET environment variable.");
            }
            """, SecretFixes.EnvironmentVariableKey, new[] { Diagnostic(Generic).WithLocation(0) });
    }

    [Fact]
    public async Task ConfigurationLookupWhenOneIsInScope()
    {
        var secret = Fakes.HighEntropy();
        await FixAsync($$"""
            {{Configuration}}
            class Gateway
            {
                private readonly Microsoft.Extensions.Configuration.IConfiguration settings;
                public Gateway(Microsoft.Extensions.Configuration.IConfiguration settings) => this.settings = settings;
                public string Sign(string body)
                {
                    var apiSecret = "{|#0:{{secret}}|}";
                    return body + apiSecret;
                }
            }
            """, $$"""
            {{Configuration}}
            class Gateway
            {
                private readonly Microsoft.Extensions.Configuration.IConfiguration settings;
                public Gateway(Microsoft.Extensions.Configuration.IConfiguration settings) => this.settings = settings;
                public string Sign(string body)
                {
                    var apiSecret = settings["Gateway:ApiSecret"] ?? throw new System.InvalidOperationException("Set the configuration value 'Gateway:ApiSecret'.");
                    return body + apiSecret;
                }
            }
            """, SecretFixes.ConfigurationKeyFix, new[] { Diagnostic(Generic).WithLocation(0) });
    }

    [Fact]
    public async Task SuppressWithJustificationOnTheMember()
    {
        var secret = Fakes.HighEntropy();
        await FixAsync($$"""
            using System.Diagnostics.CodeAnalysis;
            class Keys
            {
                public string ApiToken { get; } = "{|#0:{{secret}}|}";
            }
            """, $$"""
            using System.Diagnostics.CodeAnalysis;
            class Keys
            {
                [SuppressMessage("SecretScan.Medium", "SS1904:Secret-named variable assigned a high-entropy value", Justification = "{{SecretFixes.Justification}}")]
                public string ApiToken { get; } = "{{secret}}";
            }
            """, SecretFixes.SuppressKey, new[] { Diagnostic(Generic).WithLocation(0) });
    }

    [Fact]
    public async Task AttributeArgumentsOfferOnlySuppression()
    {
        var secret = Fakes.HighEntropy();
        var source = $$"""
            class AuthAttribute : System.Attribute { public string? Secret { get; set; } }
            [Auth(Secret = "{|#0:{{secret}}|}")]
            class C { }
            """;
        await FixAsync(source, source, SecretFixes.EnvironmentVariableKey, new[] { Diagnostic(Generic).WithLocation(0) }, iterations: 0,
            behaviors: CodeFixTestBehaviors.SkipFixAllCheck);
    }

    [Fact]
    public async Task FixAllInDocument()
    {
        var (a, b) = (Fakes.HighEntropy(), Fakes.HighEntropy());
        await FixAsync($$"""
            using System;
            class Keys
            {
                const string ApiSecret = "{|#0:{{a}}|}";
                static string Token() => "{|#1:{{b}}|}";
            }
            """, """
            using System;
            class Keys
            {
                static readonly string ApiSecret = Environment.GetEnvironmentVariable("API_SECRET") ?? throw new InvalidOperationException("Set the API_SECRET environment variable.");
                static string Token() => Environment.GetEnvironmentVariable("TOKEN") ?? throw new InvalidOperationException("Set the TOKEN environment variable.");
            }
            """, SecretFixes.EnvironmentVariableKey, new[] { Diagnostic(Generic).WithLocation(0), Diagnostic(Generic).WithLocation(1) }, iterations: 1);
    }

    [Fact]
    public async Task FixAllInProject()
    {
        var (a, b) = (Fakes.HighEntropy(), Fakes.HighEntropy());
        await FixAllAsync(
            new[] { $$"""using System; class A { static readonly string ApiSecret = "{|#0:{{a}}|}"; }""", $$"""using System; class B { static readonly string AuthToken = "{|#1:{{b}}|}"; }""" },
            new[]
            {
                """using System; class A { static readonly string ApiSecret = Environment.GetEnvironmentVariable("API_SECRET") ?? throw new InvalidOperationException("Set the API_SECRET environment variable."); }""",
                """using System; class B { static readonly string AuthToken = Environment.GetEnvironmentVariable("AUTH_TOKEN") ?? throw new InvalidOperationException("Set the AUTH_TOKEN environment variable."); }""",
            },
            SecretFixes.EnvironmentVariableKey,
            new[] { Diagnostic(Generic).WithLocation(0), Diagnostic(Generic).WithLocation(1) });
    }

    [Fact]
    public async Task FixAllInSolution()
    {
        var (a, b) = (Fakes.HighEntropy(), Fakes.HighEntropy());
        const string Attribute = "[System.Diagnostics.CodeAnalysis.SuppressMessage(\"SecretScan.Medium\", \"SS1904:Secret-named variable assigned a high-entropy value\", Justification = \"" + SecretFixes.Justification + "\")]";
        await FixAllAsync(
            new[] { $"class A\n{{\n    static readonly string ApiSecret = \"{{|#0:{a}|}}\";\n}}\n" },
            new[] { $"class A\n{{\n    {Attribute}\n    static readonly string ApiSecret = \"{a}\";\n}}\n" },
            SecretFixes.SuppressKey,
            new[] { Diagnostic(Generic).WithLocation(0), Diagnostic(Generic).WithSpan("/Second/Test0.cs", 3, 41, 3, 81) },
            new[] { $"class B\n{{\n    static readonly string AuthToken = \"{b}\";\n}}\n" },
            new[] { $"class B\n{{\n    {Attribute}\n    static readonly string AuthToken = \"{b}\";\n}}\n" });
    }
}
