// What is not a secret: placeholders, environment and configuration reads, nameof, UI text, regexes, fixtures, generated code.
using static SecretScan.Analyzers.Tests.Verifier;

namespace SecretScan.Analyzers.Tests;

public class NegativeTests
{
    [Fact]
    public async Task Placeholders()
    {
        await AnalyzeAsync("""
            class C
            {
                public const string ApiKey = "YOUR_API_KEY";
                public const string Password = "changeme";
                public string Secret { get; set; } = "<your-webhook-secret>";
                public string Token { get; set; } = "${APP_TOKEN}";
                public const string EmptySecret = "";
                public const string AwsKey = "AKIAIOSFODNN7EXAMPLE";
            }
            """);
    }

    [Fact]
    public async Task EnvironmentAndConfigurationLookups()
    {
        await AnalyzeAsync("""
            using System;
            namespace Microsoft.Extensions.Configuration { public interface IConfiguration { string? this[string key] { get; set; } } }
            class Options(Microsoft.Extensions.Configuration.IConfiguration configuration)
            {
                public string StripeKey => configuration["Stripe:SecretKey"] ?? "";
                public string ApiKey { get; } = Environment.GetEnvironmentVariable("PAYMENTS_API_KEY") ?? "";
                public const string ApiKeyConfigPath = "Billing:ApiKey";
                public const string PasswordKey = "Password";
            }
            """);
    }

    [Fact]
    public async Task NameofAndUiText()
    {
        await AnalyzeAsync("""
            class C
            {
                public string Password { get; set; } = "";
                public string SecretName => nameof(Password);
                public string PasswordLabel { get; set; } = "Enter your password";
                public const string PasswordTooShort = "Password must be at least 12 characters.";
                public string ApiKeyHeader { get; set; } = "X-Api-Key";
                public static void Prompt() => System.Console.WriteLine("Paste your API token here:");
            }
            """);
    }

    [Fact]
    public async Task RegexPatterns()
    {
        await AnalyzeAsync("""
            using System.ComponentModel.DataAnnotations;
            using System.Text.RegularExpressions;
            class PasswordPolicy
            {
                public const string StrongPasswordPattern = @"^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[^\w\s]).{12,}$";
                [RegularExpression(@"^(?=.*\d)(?=.*[A-Z])[A-Za-z0-9]{8,64}$")]
                public string? Password { get; set; }
                public static bool IsToken(string s) => Regex.IsMatch(s, @"^token_[A-Za-z0-9]{32}x9Z$");
                static readonly Regex SecretShape = new Regex(@"secret=[A-Za-z0-9+/]{40}Q1");
            }
            """);
    }

    [Fact]
    public async Task PublicValuesAndIdentifiers()
    {
        var (guid, sha1, sha256) = (System.Guid.NewGuid().ToString(), Fakes.Make("{{hex:40}}"), Fakes.Make("{{hex:64}}"));
        await AnalyzeAsync($$"""
            class C
            {
                public const string StripePublishableKey = "pk_live_{{Fakes.Make("{{alnum:99}}")}}";
                public const string TenantId = "{{guid}}";
                public const string ReleaseCommit = "{{sha1}}";
                public const string PackageSha256 = "{{sha256}}";
                public const string PasswordResetRoute = "/account/password/reset";
                public const string CacheKey = "user-profile-v2";
            }
            """);
    }

    [Fact]
    public async Task FixtureNamesAreTestData()
    {
        await AnalyzeAsync($$"""
            static class Samples
            {
                public const string FakeApiKey = "{{Fakes.HighEntropy()}}";
                public const string DummyPassword = "{{Fakes.Password()}}";
                public const string TestApiToken = "{{Fakes.HighEntropy()}}";
                public const string FakeStripeKey = "sk_test_51{{Fakes.Make("{{alnum:97}}")}}";
            }
            static class TestData
            {
                public const string ClientSecret = "{{Fakes.HighEntropy()}}";
            }
            """);
    }

    [Fact]
    public async Task TestProjectsReportOnlyHighConfidenceProductionCredentials()
    {
        var token = Fakes.GitHubPat();
        await AnalyzeAsync(
            new[]
            {
                $$"""
                class LoginChecks
                {
                    const string ApiSecret = "{{Fakes.HighEntropy()}}";
                    const string Token = "{|#0:{{token}}|}";
                }
                """,
            },
            null,
            "build_property.IsTestProject = true",
            Diagnostic("SS1100").WithLocation(0));
    }

    [Fact]
    public async Task ReportTestFixturesOptionTurnsThemBackOn()
    {
        await AnalyzeAsync(
            new[] { $$"""class C { const string TestApiToken = "{|#0:{{Fakes.HighEntropy()}}|}"; }""" },
            null,
            "secretscan.report_test_fixtures = true",
            Diagnostic("SS1904").WithLocation(0));
    }

    [Fact]
    public async Task GeneratedCodeIsSkipped()
    {
        await AnalyzeAsync($$"""
            // <auto-generated/>
            class Generated
            {
                const string Token = "{{Fakes.GitHubPat()}}";
            }
            """);
    }

    [Fact]
    public async Task InlineAllowMarkerAndPragmaSuppress()
    {
        await AnalyzeAsync($$"""
            class C
            {
                const string Token = "{{Fakes.GitHubPat()}}"; // secretscan:allow documented sample
            #pragma warning disable SS1100
                const string Other = "{{Fakes.GitHubPat()}}";
            #pragma warning restore SS1100
            }
            """);
    }

    [Fact]
    public async Task ShortAndNonConstantValues()
    {
        await AnalyzeAsync("""
            class C
            {
                static string Header(string token) => "Bearer " + token;
                static string Cs(string pw) => string.Format("Server=db;User Id=app;Password={0};", pw);
                static string Cs2(string pw) => $"Server=db;User Id=app;Password={pw};";
                const string Pin = "1234";
            }
            """);
    }
}
