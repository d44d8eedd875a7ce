// Test code: fixtures named as fakes and whole test projects, where generic matches are test data, not credentials.
using Microsoft.CodeAnalysis;
using SecretScan.Core;

namespace SecretScan.Analyzers;

internal static class TestFixtures
{
    // Assemblies whose reference makes a compilation a test project, for builds that did not pass IsTestProject.
    private static readonly string[] TestFrameworkAssemblies =
    {
        "xunit.core", "xunit.v3.core", "nunit.framework", "Microsoft.VisualStudio.TestPlatform.TestFramework",
        "MSTest.TestFramework", "TUnit.Core",
    };

    // Words that mark a symbol as a stand-in: FakeStripeKey, DummyPassword, TestApiKey, SAMPLE_TOKEN, mockSecret.
    private static readonly HashSet<string> FixtureWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "fake", "fakes", "dummy", "mock", "mocked", "stub", "sample", "example", "test", "tests", "testing", "fixture",
        "fixtures", "placeholder",
    };

    public static bool IsTestProject(Compilation compilation, bool? declared)
    {
        if (declared is { } known)
        {
            return known;
        }

        foreach (var name in compilation.ReferencedAssemblyNames)
        {
            foreach (var framework in TestFrameworkAssemblies)
            {
                if (string.Equals(name.Name, framework, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>True for a name with a fixture word in it, split at case changes, digits and separators.</summary>
    public static bool IsFixtureName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        foreach (var word in Words(name!))
        {
            if (FixtureWords.Contains(word))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>In test code, only high-confidence production-credential rules speak.</summary>
    public static bool IsTestOnlyFinding(Rule rule) =>
        rule.Confidence != Confidence.High || string.Equals(rule.Environment, "test", StringComparison.OrdinalIgnoreCase);

    /// <summary>Identifier words: "FakeStripeKey" → Fake, Stripe, Key; "db:api_key-2" → db, api, key.</summary>
    public static IEnumerable<string> Words(string name)
    {
        var start = -1;
        for (var i = 0; i <= name.Length; i++)
        {
            var c = i < name.Length ? name[i] : '\0';
            var boundary = !char.IsLetter(c) ||
                (start >= 0 && char.IsUpper(c) && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))));
            if (boundary && start >= 0)
            {
                yield return name.Substring(start, i - start);
                start = -1;
            }

            if (char.IsLetter(c) && start < 0)
            {
                start = i;
            }
        }
    }
}
