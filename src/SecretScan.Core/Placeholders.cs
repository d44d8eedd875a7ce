// Values that look like a secret's slot rather than a secret: documentation placeholders, templates, masks.
namespace SecretScan.Core;

public static class Placeholders
{
    // Substrings that mark a placeholder in docs, samples and templates. Random tokens contain these with
    // negligible probability (a 6-letter word in a 40-character base62 token: about 1 in 10^8).
    private static readonly string[] Markers =
    {
        "example", "xxxx", "****", "....", "your_", "your-", "yourkey", "yourpass", "yoursecret", "yourtoken",
        "<", ">", "${", "{{", "}}", "$(", "%(", "placeholder", "changeme", "change_me", "change-me", "redacted",
        "replace_me", "replaceme", "insert_", "dummy", "notreal", "not_a_real", "not-a-real", "fakekey", "fake_key",
        "sample_", "-sample", "test_key", "testkey", "secret_here", "key_here", "token_here", "password_here",
        "goes_here", "goeshere", "0000000000", "1234567890", "abcdefghij", "abcdef123456",
    };

    /// <summary>True when the value is a placeholder, a template reference or a mask, not a credential.</summary>
    public static bool IsPlaceholder(string value)
    {
        foreach (var marker in Markers)
        {
            if (value.IndexOf(marker, StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }

        if (IsDegenerate(value))
        {
            return true;
        }

        // $VAR, %VAR%, @VAR@: references to a variable, not values.
        if (value.Length > 2 && ((value[0] == '$' && value.Skip(1).All(IsNameChar)) ||
            (value[0] == '%' && value[value.Length - 1] == '%') || (value[0] == '@' && value[value.Length - 1] == '@')))
        {
            return true;
        }

        return false;
    }

    /// <summary>"aaaaaaaa", "abababab", "ffffff...": too few distinct characters to be a generated key.</summary>
    public static bool IsDegenerate(string value) => value.Length >= 8 && value.Distinct().Count() <= 2;

    private static bool IsNameChar(char c) => c == '_' || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
