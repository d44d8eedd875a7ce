// Glob matching for allowlist paths, without a package dependency: `**` crosses folders, `*` and `?` do not.
using System.Text;
using System.Text.RegularExpressions;

namespace SecretScan.Core;

public sealed class PathGlob
{
    private readonly Regex regex;

    public PathGlob(string pattern)
    {
        Pattern = pattern;
        regex = new Regex(ToRegex(pattern), RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
    }

    public string Pattern { get; }

    /// <summary>True when the relative path (any separators) matches. A pattern without '/' matches a file name at any depth.</summary>
    public bool IsMatch(string path) => regex.IsMatch(path.Replace('\\', '/').TrimStart('/'));

    private static string ToRegex(string pattern)
    {
        var p = pattern.Replace('\\', '/').TrimStart('/');
        if (p.StartsWith("./", StringComparison.Ordinal))
        {
            p = p.Substring(2);
        }

        var sb = new StringBuilder("^");
        if (p.IndexOf('/') < 0)
        {
            sb.Append("(?:.*/)?");
        }

        for (var i = 0; i < p.Length; i++)
        {
            var c = p[i];
            if (c == '*')
            {
                if (i + 1 < p.Length && p[i + 1] == '*')
                {
                    i++;
                    if (i + 1 < p.Length && p[i + 1] == '/')
                    {
                        i++;
                        sb.Append("(?:.*/)?");
                    }
                    else
                    {
                        sb.Append(".*");
                    }
                }
                else
                {
                    sb.Append("[^/]*");
                }
            }
            else if (c == '?')
            {
                sb.Append("[^/]");
            }
            else
            {
                sb.Append(Regex.Escape(c.ToString()));
            }
        }

        // A pattern naming a folder also covers everything under it.
        sb.Append("(?:/.*)?$");
        return sb.ToString();
    }
}
