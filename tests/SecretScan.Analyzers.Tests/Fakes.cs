// Fresh random fake secrets for every test run, drawn from Core's example generators: nothing real-looking is committed.
using SecretScan.Core.Validation;

namespace SecretScan.Analyzers.Tests;

internal static class Fakes
{
    private static readonly Random Rng = new();

    public static string Make(string template)
    {
        lock (Rng)
        {
            return ExampleTemplates.Expand(template, Rng);
        }
    }

    public static string GitHubPat() => Make("{{github}}");

    public static string StripeLive() => Make("sk_live_51{{alnum:97}}");

    public static string AwsAccessKeyId() => "AKIA" + Make("{{upper:16}}").Replace('0', 'Q');

    /// <summary>A generic high-entropy value: letters and digits, 40 characters, never a placeholder.</summary>
    public static string HighEntropy(int length = 40)
    {
        while (true)
        {
            var value = Make("{{alnum:" + length + "}}");
            if (value.Any(char.IsDigit) && value.Any(char.IsUpper) && value.Any(char.IsLower) && !SecretScan.Core.Placeholders.IsPlaceholder(value))
            {
                return value;
            }
        }
    }

    /// <summary>A password: letters, digits and symbols, 18 characters.</summary>
    public static string Password()
    {
        while (true)
        {
            var value = Make("{{alnum:14}}") + "#" + Make("{{digits:1}}") + "!" + Make("{{letters:1}}");
            if (value.Any(char.IsDigit) && !SecretScan.Core.Placeholders.IsPlaceholder(value))
            {
                return value;
            }
        }
    }

    public static string Jwt() => Make("{{jwt}}");
}
