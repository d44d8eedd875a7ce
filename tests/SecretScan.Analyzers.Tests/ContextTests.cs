// Every C# shape a secret hides in: literal kinds, constant folding, initializers, arguments, sinks, arrays.
using static SecretScan.Analyzers.Tests.Verifier;

namespace SecretScan.Analyzers.Tests;

public class ContextTests
{
    private const string GitHubPat = "SS1100";
    private const string StripeLive = "SS1300";
    private const string AwsAccessKey = "SS1000";
    private const string GenericSecret = "SS1904";
    private const string GenericPassword = "SS1905";
    private const string ConnectionStringPassword = "SS1709";
    private const string BearerToken = "SS1903";
    private const string Jwt = "SS1900";
    private const string RsaPrivateKey = "SS1800";

    [Fact]
    public async Task RegularVerbatimAndRawLiterals()
    {
        var (a, b, c) = (Fakes.GitHubPat(), Fakes.GitHubPat(), Fakes.GitHubPat());
        await AnalyzeAsync($$""""
            class C
            {
                string A = "{|#0:{{a}}|}";
                string B = @"{|#1:{{b}}|}";
                string R = """{|#2:{{c}}|}""";
            }
            """",
            Diagnostic(GitHubPat).WithLocation(0), Diagnostic(GitHubPat).WithLocation(1), Diagnostic(GitHubPat).WithLocation(2));
    }

    [Fact]
    public async Task EscapesBeforeTheSecretKeepTheSpanExact()
    {
        var token = Fakes.GitHubPat();
        await AnalyzeAsync($$"""
            class C
            {
                string A = "token:\t\u0041\\{|#0:{{token}}|}";
            }
            """,
            Diagnostic(GitHubPat).WithLocation(0));
    }

    [Fact]
    public async Task RawMultiLineStringWithIndentation()
    {
        var body = string.Join("\n        ", Enumerable.Range(0, 6).Select(_ => Fakes.Make("{{base64:64}}")));
        await AnalyzeAsync($$""""
            class C
            {
                const string Key = """
                    {|#0:-----BEGIN RSA PRIVATE KEY-----
                    {{body.Replace("\n        ", "\n        ")}}
                    -----END RSA PRIVATE KEY-----|}
                    """;
            }
            """",
            Diagnostic(RsaPrivateKey).WithLocation(0));
    }

    [Fact]
    public async Task Utf8Literal()
    {
        var token = Fakes.GitHubPat();
        await AnalyzeAsync($$"""
            class C
            {
                static System.ReadOnlySpan<byte> Token => "{|#0:{{token}}|}"u8;
            }
            """,
            Diagnostic(GitHubPat).WithLocation(0));
    }

    [Fact]
    public async Task ConstantConcatenationIsFoldedAsTheCompilerSeesIt()
    {
        var key = Fakes.StripeLive();
        await AnalyzeAsync($$"""
            class C
            {
                const string Prefix = "sk_live_";
                const string Key = {|#0:Prefix + "{{key.Substring("sk_live_".Length)}}"|};
            }
            """,
            Diagnostic(StripeLive).WithLocation(0));
    }

    [Fact]
    public async Task LiteralConcatenationOnOneLine()
    {
        var key = Fakes.StripeLive();
        await AnalyzeAsync($$"""
            class C
            {
                public const string Key = "{|#0:{{key.Substring(0, 50)}}" + "{{key.Substring(50)}}|}";
            }
            """,
            Diagnostic(StripeLive).WithLocation(0));
    }

    [Fact]
    public async Task InterpolatedStringConstantParts()
    {
        var password = Fakes.Password();
        await AnalyzeAsync($$"""
            class C
            {
                string Connect(string host) => $"Server={host};Database=app;User Id=app;Password={|#0:{{password}}|};";
            }
            """,
            Diagnostic(ConnectionStringPassword).WithLocation(0));
    }

    [Fact]
    public async Task ConstantInterpolationIsFolded()
    {
        var secret = Fakes.HighEntropy();
        await AnalyzeAsync($$"""
            class C
            {
                const string Part = "{{secret.Substring(0, 20)}}";
                const string ClientSecret = {|#0:$"{Part}{{secret.Substring(20)}}"|};
            }
            """,
            Diagnostic(GenericSecret).WithLocation(0));
    }

    [Fact]
    public async Task ConstLocalAndLocalAssignment()
    {
        var (a, b) = (Fakes.HighEntropy(), Fakes.HighEntropy());
        await AnalyzeAsync($$"""
            class C
            {
                string M()
                {
                    const string apiSecret = "{|#0:{{a}}|}";
                    string token;
                    token = "{|#1:{{b}}|}";
                    return apiSecret + token;
                }
            }
            """,
            Diagnostic(GenericSecret).WithLocation(0), Diagnostic(GenericSecret).WithLocation(1));
    }

    [Fact]
    public async Task PropertiesAutoExpressionBodiedAndGetter()
    {
        var (a, b, c) = (Fakes.HighEntropy(), Fakes.HighEntropy(), Fakes.Password());
        await AnalyzeAsync($$"""
            class C
            {
                public string ApiKey { get; init; } = "{|#0:{{a}}|}";
                public string SendGridKey => "{|#1:{{b}}|}";
                public string Password { get { return "{|#2:{{c}}|}"; } }
            }
            """,
            Diagnostic(GenericSecret).WithLocation(0), Diagnostic(GenericSecret).WithLocation(1), Diagnostic(GenericPassword).WithLocation(2));
    }

    [Fact]
    public async Task AttributePositionalAndNamedArguments()
    {
        var (token, secret) = (Fakes.GitHubPat(), Fakes.HighEntropy());
        await AnalyzeAsync($$"""
            [System.AttributeUsage(System.AttributeTargets.Class, AllowMultiple = true)]
            class ApiAuthAttribute : System.Attribute
            {
                public ApiAuthAttribute(string key) { }
                public string? Secret { get; set; }
            }

            [ApiAuth("{|#0:{{token}}|}")]
            [ApiAuth("partner", Secret = "{|#1:{{secret}}|}")]
            class C { }
            """,
            Diagnostic(GitHubPat).WithLocation(0), Diagnostic(GenericSecret).WithLocation(1));
    }

    [Fact]
    public async Task NamedAndPositionalArgumentsUseTheParameterName()
    {
        var (secret, password) = (Fakes.HighEntropy(), Fakes.Password());
        await AnalyzeAsync($$"""
            class Client
            {
                public Client(string user, string password) { }
                public static string Sign(string payload, string secret) => payload + secret;
                static string M() => Sign("body", secret: "{|#0:{{secret}}|}");
                static Client N() => new Client("svc", "{|#1:{{password}}|}");
            }
            """,
            Diagnostic(GenericSecret).WithLocation(0), Diagnostic(GenericPassword).WithLocation(1));
    }

    [Fact]
    public async Task CollectionAndDictionaryInitializers()
    {
        var (a, b, c, d) = (Fakes.HighEntropy(), Fakes.Password(), Fakes.HighEntropy(), Fakes.HighEntropy());
        await AnalyzeAsync($$"""
            using System.Collections.Generic;
            class C
            {
                Dictionary<string, string> Index() => new() { ["sendgrid:apiKey"] = "{|#0:{{a}}|}", ["Title"] = "Welcome back" };
                Dictionary<string, string> Add() => new Dictionary<string, string> { { "db:password", "{|#1:{{b}}|}" } };
                List<string> RotationKeys() => new List<string> { "{|#2:{{c}}|}" };
                string[] SigningKeys = { "{|#3:{{d}}|}" };
            }
            """,
            Diagnostic(GenericSecret).WithLocation(0), Diagnostic(GenericPassword).WithLocation(1), Diagnostic(GenericSecret).WithLocation(2),
            Diagnostic(GenericSecret).WithLocation(3));
    }

    [Fact]
    public async Task CollectionExpression()
    {
        var (a, b) = (Fakes.HighEntropy(), Fakes.HighEntropy());
        await AnalyzeAsync($$"""
            using System.Collections.Generic;
            class C
            {
                List<string> ApiTokens = ["{|#0:{{a}}|}", "{|#1:{{b}}|}"];
            }
            """,
            Diagnostic(GenericSecret).WithLocation(0), Diagnostic(GenericSecret).WithLocation(1));
    }

    [Fact]
    public async Task SwitchArmsAndConditionals()
    {
        var (a, b) = (Fakes.StripeLive(), Fakes.HighEntropy());
        await AnalyzeAsync($$"""
            class C
            {
                static string StripeKeyFor(string env) => env switch
                {
                    "prod" => "{|#0:{{a}}|}",
                    _ => "sk_test_placeholder",
                };
                static string ApiToken(bool local) => local ? "local" : "{|#1:{{b}}|}";
            }
            """,
            Diagnostic(StripeLive).WithLocation(0), Diagnostic(GenericSecret).WithLocation(1));
    }

    [Fact]
    public async Task DefaultParameterAndRecordPrimaryConstructorDefaults()
    {
        var (a, b) = (Fakes.Password(), Fakes.HighEntropy());
        await AnalyzeAsync($$"""
            record SmtpCredentials(string User = "mailer", string Password = "{|#0:{{a}}|}");
            class C
            {
                static void Connect(string host, string apiToken = "{|#1:{{b}}|}") { }
            }
            """,
            Diagnostic(GenericPassword).WithLocation(0), Diagnostic(GenericSecret).WithLocation(1));
    }

    [Fact]
    public async Task TuplesTakeElementNames()
    {
        var (a, b) = (Fakes.Password(), Fakes.HighEntropy());
        await AnalyzeAsync($$"""
            class C
            {
                static (string User, string Password) Admin() => ("admin", "{|#0:{{a}}|}");
                static void M()
                {
                    var (user, apiSecret) = ("ops", "{|#1:{{b}}|}");
                }
            }
            """,
            Diagnostic(GenericPassword).WithLocation(0), Diagnostic(GenericSecret).WithLocation(1));
    }

    [Fact]
    public async Task ByteAndCharArrays()
    {
        var bytes = string.Join(", ", Enumerable.Range(0, 32).Select(_ => "0x" + Fakes.Make("{{hex:2}}")));
        var chars = string.Join(", ", Fakes.Password().Select(c => c == '\'' || c == '\\' ? "'x'" : "'" + c + "'"));
        await AnalyzeAsync($$"""
            class C
            {
                static readonly byte[] WebhookHmacKey = {|#0:new byte[] { {{bytes}} }|};
                static readonly char[] AdminPassword = {|#1:{ {{chars}} }|};
            }
            """,
            Diagnostic(GenericSecret).WithLocation(0), Diagnostic(GenericPassword).WithLocation(1));
    }

    [Fact]
    public async Task EncodingAndBase64CallsTakeTheReceiversName()
    {
        var (a, b) = (Fakes.HighEntropy(), Fakes.Make("{{base64:43}}=") + "7");
        await AnalyzeAsync($$"""
            using System;
            using System.Text;
            class C
            {
                static readonly byte[] SigningKey = Encoding.UTF8.GetBytes("{|#0:{{a}}|}");
                static readonly byte[] SettlementKey = Convert.FromBase64String("{|#1:{{b}}|}");
            }
            """,
            Diagnostic(GenericSecret).WithLocation(0), Diagnostic(GenericSecret).WithLocation(1));
    }

    [Fact]
    public async Task WellKnownSinks()
    {
        var (password, cs, bearer, header) = (Fakes.Password(), Fakes.Password(), Fakes.HighEntropy(48), Fakes.HighEntropy(48));
        await AnalyzeAsync($$"""
            using System.Net;
            using System.Net.Http;
            using System.Net.Http.Headers;
            class C
            {
                static ICredentials Credentials() => new NetworkCredential("billing-svc", "{|#0:{{password}}|}");
                static string Db() => "Server=tcp:db.internal,1433;Database=ledger;User ID=app;Password={|#1:{{cs}}|};Encrypt=True;";
                static void Headers(HttpClient http)
                {
                    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "{|#2:{{bearer}}|}");
                    http.DefaultRequestHeaders.Add("Authorization", "Bearer {|#3:{{header}}|}");
                }
            }
            """,
            Diagnostic(GenericPassword).WithLocation(0), Diagnostic(ConnectionStringPassword).WithLocation(1),
            Diagnostic(BearerToken).WithLocation(2), Diagnostic(BearerToken).WithLocation(3));
    }

    [Fact]
    public async Task TopLevelStatementsAndPrefixPinnedTokensWithoutAName()
    {
        var (key, jwt) = (Fakes.AwsAccessKeyId(), Fakes.Jwt());
        await AnalyzeProgramAsync($$"""
            var awsKey = "{|#0:{{key}}|}";
            System.Console.WriteLine("{|#1:{{jwt}}|}");
            """,
            Diagnostic(AwsAccessKey).WithLocation(0), Diagnostic(Jwt).WithLocation(1));
    }

    [Fact]
    public async Task CommentsDocCommentsAndInactiveCode()
    {
        var (a, b, c) = (Fakes.GitHubPat(), Fakes.StripeLive(), Fakes.GitHubPat());
        await AnalyzeAsync($$"""
            class C
            {
                // the old token was {|#0:{{a}}|}, revoked
                /// <summary>Calls the API with {|#1:{{b}}|}.</summary>
                void M() { }
            #if NEVER_DEFINED
                const string Token = "{|#2:{{c}}|}";
            #endif
            }
            """,
            Diagnostic(GitHubPat).WithLocation(0), Diagnostic(StripeLive).WithLocation(1), Diagnostic(GitHubPat).WithLocation(2));
    }

    [Fact]
    public async Task KeyValueCallsAreAlsoReadAsAPair()
    {
        var (id, secret) = (Fakes.AwsAccessKeyId(), Fakes.Make("{{base64:39}}") + "Q");
        await AnalyzeAsync($$"""
            class S3
            {
                public S3(string a, string b) { }
                static S3 Client() => new S3("{|#0:{{id}}|}", "{|#1:{{secret}}|}");
            }
            """,
            Diagnostic(AwsAccessKey).WithLocation(0), Diagnostic("SS1001").WithLocation(1));
    }
}
