// Shannon entropy of a candidate secret: random keys score high, words and repeated characters low.
namespace SecretScan.Core;

public static class Entropy
{
    /// <summary>Shannon entropy in bits per character.</summary>
    public static double Shannon(string value)
    {
        if (value.Length == 0)
        {
            return 0;
        }

        var counts = new Dictionary<char, int>();
        foreach (var c in value)
        {
            counts.TryGetValue(c, out var n);
            counts[c] = n + 1;
        }

        double length = value.Length;
        double entropy = 0;
        foreach (var n in counts.Values)
        {
            var p = n / length;
            entropy -= p * Math.Log(p, 2);
        }

        return entropy;
    }
}
