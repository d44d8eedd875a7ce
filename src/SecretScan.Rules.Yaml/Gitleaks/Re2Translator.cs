// Rewrites a Go RE2 regex (as gitleaks configs hold them) into a .NET regex that matches the same text.
using System.Globalization;
using System.Text;

namespace SecretScan.Rules.Yaml.Gitleaks;

/// <summary>A construct that has no .NET equivalent (or is not RE2 at all); the message says which.</summary>
public sealed class Re2TranslationException : Exception
{
    public Re2TranslationException(string message)
        : base(message)
    {
    }
}

/// <summary>The .NET pattern and its capture groups in order of appearance (null for unnamed ones), as RE2 numbers them.</summary>
public sealed record Re2Translation(string Pattern, IReadOnlyList<string?> Groups);

/// <summary>
/// Translates RE2 syntax where .NET reads it differently: `(?P&lt;name&gt;`, `\Q...\E`, POSIX classes, `\pL`, `\x{...}`,
/// octal escapes, the `U` (ungreedy) flag, `$` outside multi-line mode (end of text in Go, also before a final newline
/// in .NET) and the ASCII-only `\d \w \s` (Unicode in .NET). Everything else is passed through unchanged.
/// </summary>
public static class Re2Translator
{
    private const string Digit = "0-9";
    private const string Word = "0-9A-Za-z_";
    private const string Space = @"\t\n\f\r ";

    /// <summary>POSIX classes as .NET class bodies (ASCII, as in RE2).</summary>
    private static readonly Dictionary<string, string> Posix = new(StringComparer.Ordinal)
    {
        ["alnum"] = "0-9A-Za-z",
        ["alpha"] = "A-Za-z",
        ["ascii"] = @"\x00-\x7F",
        ["blank"] = @"\t ",
        ["cntrl"] = @"\x00-\x1F\x7F",
        ["digit"] = Digit,
        ["graph"] = @"!-~",
        ["lower"] = "a-z",
        ["print"] = @" -~",
        ["punct"] = @"!-/:-@\[-`{-~",
        ["space"] = @"\t\n\v\f\r ",
        ["upper"] = "A-Z",
        ["word"] = Word,
        ["xdigit"] = "0-9A-Fa-f",
    };

    /// <summary>Unicode general categories, which .NET knows by the same names; RE2 scripts (Greek, Han...) it does not.</summary>
    private static readonly HashSet<string> Categories = new(StringComparer.Ordinal)
    {
        "L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Ps", "Pe", "Pi",
        "Pf", "Po", "S", "Sm", "Sc", "Sk", "So", "Z", "Zs", "Zl", "Zp", "C", "Cc", "Cf", "Cs", "Co", "Cn",
    };

    public static Re2Translation Translate(string re2)
    {
        var reader = new PatternReader(re2);
        return reader.Run();
    }

    private sealed class PatternReader
    {
        private readonly string s;
        private readonly StringBuilder output = new();
        private readonly List<string?> groups = new();

        // Flags that change how this translation reads the pattern, per group: m (for '$') and U (greediness).
        private readonly Stack<(bool Multiline, bool Ungreedy)> frames = new();
        private bool multiline;
        private bool ungreedy;
        private int i;

        public PatternReader(string pattern) => s = pattern;

        public Re2Translation Run()
        {
            while (i < s.Length)
            {
                var c = s[i];
                switch (c)
                {
                    case '\\':
                        Escape();
                        break;
                    case '[':
                        output.Append(Class());
                        break;
                    case '(':
                        Open();
                        break;
                    case ')':
                        if (frames.Count == 0)
                        {
                            throw new Re2TranslationException("unbalanced ')'");
                        }

                        (multiline, ungreedy) = frames.Pop();
                        output.Append(')');
                        i++;
                        break;
                    case '$':
                        // Go's '$' is the end of the text unless (?m); .NET's also matches before a final newline.
                        output.Append(multiline ? "$" : @"\z");
                        i++;
                        break;
                    case '*' or '+' or '?':
                        output.Append(c);
                        i++;
                        Laziness();
                        break;
                    case '{':
                        Repeat();
                        break;
                    default:
                        output.Append(c);
                        i++;
                        break;
                }
            }

            if (frames.Count > 0)
            {
                throw new Re2TranslationException("missing ')'");
            }

            return new Re2Translation(output.ToString(), groups);
        }

        /// <summary>After a quantifier: a '?' makes it lazy; under (?U) the meaning of that '?' flips.</summary>
        private void Laziness()
        {
            var lazy = i < s.Length && s[i] == '?';
            if (lazy)
            {
                i++;
            }

            if (lazy != ungreedy)
            {
                output.Append('?');
            }
        }

        private void Repeat()
        {
            var end = i + 1;
            while (end < s.Length && (char.IsAsciiDigit(s[end]) || s[end] == ','))
            {
                end++;
            }

            var body = s.Substring(i + 1, end - i - 1);
            var parts = body.Split(',');
            var isRepeat = end < s.Length && s[end] == '}' && parts.Length <= 2 && parts[0].Length > 0;
            if (!isRepeat)
            {
                // A '{' that starts no repetition is a literal in both engines; escape it so .NET never reads more into it.
                output.Append(@"\{");
                i++;
                return;
            }

            // RE2 allows at most 1000 repetitions; larger counts (or ones that overflow) are errors there too.
            var counts = parts.Where(p => p.Length > 0).Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 1000 ? n : -1).ToArray();
            if (counts.Any(n => n < 0) || (counts.Length == 2 && counts[1] < counts[0]))
            {
                throw new Re2TranslationException($"invalid repeat count {{{body}}}");
            }

            output.Append('{').Append(body).Append('}');
            i = end + 1;
            Laziness();
        }

        private void Open()
        {
            frames.Push((multiline, ungreedy));
            if (i + 1 >= s.Length || s[i + 1] != '?')
            {
                groups.Add(null);
                output.Append('(');
                i++;
                return;
            }

            var rest = s.AsSpan(i + 2);
            if (rest.StartsWith("P<") || (rest.StartsWith("<") && !rest.StartsWith("<=") && !rest.StartsWith("<!")))
            {
                var nameStart = i + (rest[0] == 'P' ? 4 : 3);
                var close = s.IndexOf('>', nameStart);
                if (close < 0)
                {
                    throw new Re2TranslationException("unterminated group name");
                }

                var name = s.Substring(nameStart, close - nameStart);
                if (name.Length == 0 || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_'))
                {
                    throw new Re2TranslationException($"invalid group name '{name}'");
                }

                if (char.IsAsciiDigit(name[0]))
                {
                    // .NET reads a numeric name as a group number, which would clash with the positional groups.
                    throw new Re2TranslationException($"group name '{name}' starts with a digit, which .NET reads as a group number");
                }

                groups.Add(name);
                output.Append("(?<").Append(name).Append('>');
                i = close + 1;
                return;
            }

            // Flags: (?flags) for the rest of the group, or (?flags:re) for a non-capturing group.
            var j = i + 2;
            var kept = new StringBuilder();
            var negate = false;
            var m = multiline;
            var u = ungreedy;
            while (j < s.Length && s[j] != ')' && s[j] != ':')
            {
                var f = s[j];
                switch (f)
                {
                    case '-':
                        negate = true;
                        kept.Append(f);
                        break;
                    case 'i' or 's':
                        kept.Append(f);
                        break;
                    case 'm':
                        m = !negate;
                        kept.Append(f);
                        break;
                    case 'U':
                        u = !negate;
                        break;
                    default:
                        // Lookarounds and the like are not RE2; .NET reads them the same way, so they pass through.
                        if (kept.Length == 0 && j == i + 2)
                        {
                            output.Append("(?");
                            i += 2;
                            return;
                        }

                        throw new Re2TranslationException($"unknown regex flag '{f}'");
                }

                j++;
            }

            if (j >= s.Length)
            {
                throw new Re2TranslationException("missing ')' after flags");
            }

            var flags = kept.ToString().TrimEnd('-');
            if (s[j] == ':')
            {
                output.Append("(?").Append(flags).Append(':');
                (multiline, ungreedy) = (m, u);
            }
            else
            {
                // (?flags) applies to the rest of the enclosing group: no group of its own.
                frames.Pop();
                if (flags.Length > 0)
                {
                    output.Append("(?").Append(flags).Append(')');
                }

                (multiline, ungreedy) = (m, u);
            }

            i = j + 1;
        }

        private void Escape()
        {
            if (i + 1 >= s.Length)
            {
                throw new Re2TranslationException("trailing backslash");
            }

            var c = s[i + 1];
            switch (c)
            {
                case 'Q':
                    foreach (var ch in Quoted())
                    {
                        output.Append(EscapeLiteral(ch));
                    }

                    return;
                case 'd':
                    output.Append('[').Append(Digit).Append(']');
                    break;
                case 'D':
                    output.Append("[^").Append(Digit).Append(']');
                    break;
                case 'w':
                    output.Append('[').Append(Word).Append(']');
                    break;
                case 'W':
                    output.Append("[^").Append(Word).Append(']');
                    break;
                case 's':
                    output.Append('[').Append(Space).Append(']');
                    break;
                case 'S':
                    output.Append("[^").Append(Space).Append(']');
                    break;
                case 'p' or 'P':
                    output.Append(UnicodeClass(inClass: false));
                    return;
                case 'x':
                    output.Append(Hex());
                    return;
                case 'C':
                    throw new Re2TranslationException(@"\C (any byte) has no .NET equivalent");
                case 'Z':
                    throw new Re2TranslationException(@"\Z is not RE2 syntax");
                case >= '0' and <= '7':
                    output.Append(Octal());
                    return;
                case '8' or '9':
                    throw new Re2TranslationException($@"\{c}: backreferences are not RE2 syntax");
                case 'A' or 'z' or 'b' or 'B' or 'a' or 'f' or 't' or 'n' or 'r' or 'v':
                    output.Append('\\').Append(c);
                    break;
                default:
                    if (char.IsAsciiLetterOrDigit(c) || c == '_')
                    {
                        throw new Re2TranslationException($@"invalid escape \{c}");
                    }

                    output.Append('\\').Append(c);
                    break;
            }

            i += 2;
        }

        /// <summary>The literal text of \Q...\E (to the end of the pattern when \E is missing, as in RE2).</summary>
        private string Quoted()
        {
            var start = i + 2;
            var end = s.IndexOf(@"\E", start, StringComparison.Ordinal);
            var text = end < 0 ? s.Substring(start) : s.Substring(start, end - start);
            i = end < 0 ? s.Length : end + 2;
            return text;
        }

        private string Hex()
        {
            // \xHH or \x{H...}
            int value;
            if (i + 2 < s.Length && s[i + 2] == '{')
            {
                var close = s.IndexOf('}', i + 3);
                if (close < 0 || !int.TryParse(s.AsSpan(i + 3, close - i - 3), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) || value > 0x10FFFF)
                {
                    throw new Re2TranslationException(@"invalid \x{...} escape");
                }

                i = close + 1;
            }
            else
            {
                if (i + 4 > s.Length || !int.TryParse(s.AsSpan(i + 2, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value))
                {
                    throw new Re2TranslationException(@"invalid \x escape");
                }

                i += 4;
            }

            return CodePoint(value);
        }

        private string Octal()
        {
            // RE2: \0 and \1..\7 followed by an octal digit are octal codes (up to 3 digits); a lone \1..\7 is a backreference.
            var start = i + 1;
            if (s[start] != '0' && (start + 1 >= s.Length || s[start + 1] < '0' || s[start + 1] > '7'))
            {
                throw new Re2TranslationException($@"\{s[start]}: backreferences are not RE2 syntax");
            }

            var end = start + 1;
            while (end < s.Length && end < start + 3 && s[end] >= '0' && s[end] <= '7')
            {
                end++;
            }

            var value = Convert.ToInt32(s.Substring(start, end - start), 8);
            i = end;
            return CodePoint(value);
        }

        private static string CodePoint(int value)
        {
            if (value > 0xFFFF)
            {
                // Outside a class a surrogate pair is just two UTF-16 units in a row.
                var pair = char.ConvertFromUtf32(value);
                return $@"\u{(int)pair[0]:X4}\u{(int)pair[1]:X4}";
            }

            return $@"\u{value:X4}";
        }

        /// <summary>\pL, \p{Greek}, \p{^L}, \PL: general categories map one to one; scripts have no .NET equivalent.</summary>
        private string UnicodeClass(bool inClass)
        {
            var negated = s[i + 1] == 'P';
            string name;
            if (i + 2 < s.Length && s[i + 2] == '{')
            {
                var close = s.IndexOf('}', i + 3);
                if (close < 0)
                {
                    throw new Re2TranslationException(@"unterminated \p{...}");
                }

                name = s.Substring(i + 3, close - i - 3);
                i = close + 1;
            }
            else if (i + 2 < s.Length)
            {
                name = s[i + 2].ToString();
                i += 3;
            }
            else
            {
                throw new Re2TranslationException(@"incomplete \p escape");
            }

            if (name.StartsWith('^'))
            {
                negated = !negated;
                name = name.Substring(1);
            }

            if (name == "Any")
            {
                if (negated)
                {
                    throw new Re2TranslationException(@"\P{Any} matches nothing");
                }

                return inClass ? @"\u0000-\uFFFF" : @"[\s\S]";
            }

            if (!Categories.Contains(name))
            {
                throw new Re2TranslationException($@"Unicode script or property \p{{{name}}} has no .NET equivalent");
            }

            return (negated ? @"\P{" : @"\p{") + name + "}";
        }

        /// <summary>A bracket class, re-emitted item by item so .NET reads nothing extra into it (class subtraction, '[').</summary>
        private string Class()
        {
            var sb = new StringBuilder("[");
            i++;
            if (i < s.Length && s[i] == '^')
            {
                sb.Append('^');
                i++;
            }

            var first = true;
            while (true)
            {
                if (i >= s.Length)
                {
                    throw new Re2TranslationException("missing ']'");
                }

                var c = s[i];
                if (c == ']' && !first)
                {
                    i++;
                    break;
                }

                first = false;
                if (c == '[' && i + 1 < s.Length && s[i + 1] == ':')
                {
                    var close = s.IndexOf(":]", i + 2, StringComparison.Ordinal);
                    if (close > 0)
                    {
                        var name = s.Substring(i + 2, close - i - 2);
                        var negated = name.StartsWith('^');
                        if (negated)
                        {
                            name = name.Substring(1);
                        }

                        if (!Posix.TryGetValue(name, out var body))
                        {
                            throw new Re2TranslationException($"unknown POSIX class [:{name}:]");
                        }

                        sb.Append(negated ? Complement(body) : body);
                        i = close + 2;
                        continue;
                    }
                }

                if (c == '\\' && i + 1 < s.Length && s[i + 1] is 'd' or 'D' or 'w' or 'W' or 's' or 'S' or 'p' or 'P' or 'Q')
                {
                    switch (s[i + 1])
                    {
                        case 'd': sb.Append(Digit); i += 2; continue;
                        case 'D': sb.Append(Complement(Digit)); i += 2; continue;
                        case 'w': sb.Append(Word); i += 2; continue;
                        case 'W': sb.Append(Complement(Word)); i += 2; continue;
                        case 's': sb.Append(Space); i += 2; continue;
                        case 'S': sb.Append(Complement(Space)); i += 2; continue;
                        case 'Q':
                            foreach (var ch in Quoted())
                            {
                                sb.Append(EscapeInClass(ch));
                            }

                            continue;
                        default: sb.Append(UnicodeClass(inClass: true)); continue;
                    }
                }

                var low = ClassChar();
                if (i + 1 < s.Length && s[i] == '-' && s[i + 1] != ']')
                {
                    i++;
                    var high = ClassChar();
                    if (high < low)
                    {
                        throw new Re2TranslationException("invalid character class range");
                    }

                    sb.Append(ClassCodePoint(low)).Append('-').Append(ClassCodePoint(high));
                }
                else
                {
                    sb.Append(ClassCodePoint(low));
                }
            }

            return sb.Append(']').ToString();
        }

        /// <summary>One literal character of a class (possibly escaped), as a code point.</summary>
        private int ClassChar()
        {
            var c = s[i];
            if (c != '\\')
            {
                if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                {
                    i += 2;
                    return char.ConvertToUtf32(c, s[i - 1]);
                }

                i++;
                return c;
            }

            if (i + 1 >= s.Length)
            {
                throw new Re2TranslationException("trailing backslash");
            }

            var e = s[i + 1];
            switch (e)
            {
                case 'x':
                {
                    var text = Hex();
                    return text.Length == 6 ? int.Parse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture) : char.ConvertToUtf32(
                        (char)int.Parse(text.AsSpan(2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture),
                        (char)int.Parse(text.AsSpan(8, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                }

                case >= '0' and <= '7':
                {
                    var text = Octal();
                    return int.Parse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                }

                case 'a': i += 2; return '\a';
                case 'f': i += 2; return '\f';
                case 't': i += 2; return '\t';
                case 'n': i += 2; return '\n';
                case 'r': i += 2; return '\r';
                case 'v': i += 2; return '\v';
                default:
                    if (char.IsAsciiLetterOrDigit(e) || e == '_')
                    {
                        throw new Re2TranslationException($@"invalid escape \{e} in a character class");
                    }

                    i += 2;
                    return e;
            }
        }

        private static string ClassCodePoint(int value)
        {
            if (value > 0xFFFF)
            {
                throw new Re2TranslationException($"character U+{value:X} in a class has no .NET equivalent (classes hold UTF-16 units)");
            }

            return EscapeInClass((char)value);
        }

        private static string EscapeInClass(char c) =>
            c is '\\' or ']' or '[' or '^' or '-' ? "\\" + c :
            c < ' ' || c > '~' ? $@"\u{(int)c:X4}" : c.ToString();

        private static string EscapeLiteral(char c) =>
            c is '\\' or '*' or '+' or '?' or '|' or '{' or '}' or '[' or ']' or '(' or ')' or '^' or '$' or '.' or '#' or ' ' ? "\\" + c :
            c < ' ' || c > '~' ? $@"\u{(int)c:X4}" : c.ToString();

        /// <summary>The complement of an ASCII class body over all UTF-16 units, as ranges (for [^...] items inside a class).</summary>
        private static string Complement(string body)
        {
            var set = new bool[128];
            foreach (var (lo, hi) in Ranges(body))
            {
                for (var c = lo; c <= hi; c++)
                {
                    set[c] = true;
                }
            }

            var sb = new StringBuilder();
            var start = -1;
            for (var c = 0; c <= 128; c++)
            {
                var inComplement = c == 128 || !set[c];
                if (inComplement && start < 0)
                {
                    start = c;
                }
                else if (!inComplement && start >= 0)
                {
                    sb.Append($@"\u{start:X4}-\u{c - 1:X4}");
                    start = -1;
                }
            }

            sb.Append($@"\u{start:X4}-\uFFFF");
            return sb.ToString();
        }

        /// <summary>Reads the ASCII ranges of the class bodies defined above (the only bodies Complement is given).</summary>
        private static IEnumerable<(int Lo, int Hi)> Ranges(string body)
        {
            var chars = new List<int>();
            for (var k = 0; k < body.Length; k++)
            {
                if (body[k] == '\\')
                {
                    var e = body[++k];
                    if (e == 'x')
                    {
                        chars.Add(Convert.ToInt32(body.Substring(k + 1, 2), 16));
                        k += 2;
                    }
                    else
                    {
                        chars.Add(e switch { 't' => '\t', 'n' => '\n', 'v' => '\v', 'f' => '\f', 'r' => '\r', _ => e });
                    }
                }
                else if (body[k] == '-' && chars.Count > 0 && k + 1 < body.Length)
                {
                    chars.Add(-1);
                }
                else
                {
                    chars.Add(body[k]);
                }
            }

            for (var k = 0; k < chars.Count; k++)
            {
                if (k + 2 < chars.Count && chars[k + 1] == -1)
                {
                    yield return (chars[k], chars[k + 2]);
                    k += 2;
                }
                else
                {
                    yield return (chars[k], chars[k]);
                }
            }
        }
    }
}
