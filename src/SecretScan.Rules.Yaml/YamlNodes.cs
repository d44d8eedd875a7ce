// Typed reads from YamlDotNet's representation model, failing with file:line when a value has the wrong shape.
using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace SecretScan.Rules.Yaml;

internal sealed class YamlReader
{
    public YamlReader(string file) => File = file;

    public string File { get; }

    public YamlMappingNode Mapping(YamlNode node, string what) =>
        node as YamlMappingNode ?? throw ConfigException.At(File, node, $"{what} must be a mapping");

    public YamlSequenceNode Sequence(YamlNode node, string what) =>
        node as YamlSequenceNode ?? throw ConfigException.At(File, node, $"{what} must be a list");

    public string String(YamlNode node, string what) =>
        node is YamlScalarNode { Value: { } v } ? v : throw ConfigException.At(File, node, $"{what} must be a string");

    public IReadOnlyList<string> Strings(YamlNode node, string what)
    {
        if (node is YamlScalarNode { Value: { } single })
        {
            return single.Length == 0 ? Array.Empty<string>() : new[] { single };
        }

        return Sequence(node, what).Children.Select(c => String(c, what + " item")).ToArray();
    }

    /// <summary>Regexes (allowlist patterns), checked here so a bad one fails with file:line, not later without a rule to name.</summary>
    public IReadOnlyList<string> Patterns(YamlNode node, string what)
    {
        var patterns = Strings(node, what);
        foreach (var p in patterns)
        {
            try
            {
                _ = new System.Text.RegularExpressions.Regex(p, System.Text.RegularExpressions.RegexOptions.CultureInvariant);
            }
            catch (ArgumentException e)
            {
                throw ConfigException.At(File, node, $"{what}: invalid regex: {SecretScan.Core.RuleException.RegexProblem(e, p)}");
            }
        }

        return patterns;
    }

    /// <summary>A file path; a NUL character would make every later file API throw ArgumentException instead.</summary>
    public string FilePath(YamlNode node, string what)
    {
        var s = String(node, what);
        return s.IndexOf('\0') < 0 ? s : throw ConfigException.At(File, node, $"{what} must be a file path (it holds a NUL character)");
    }

    public int Int(YamlNode node, string what) =>
        node is YamlScalarNode { Value: { } v } && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)
            ? i : throw ConfigException.At(File, node, $"{what} must be an integer");

    public double Double(YamlNode node, string what) =>
        node is YamlScalarNode { Value: { } v } && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d : throw ConfigException.At(File, node, $"{what} must be a number");

    public bool Bool(YamlNode node, string what) =>
        node is YamlScalarNode { Value: { } v } && bool.TryParse(v, out var b) ? b : throw ConfigException.At(File, node, $"{what} must be true or false");

    public T Enum<T>(YamlNode node, string what)
        where T : struct, System.Enum
    {
        var s = String(node, what);
        return System.Enum.TryParse<T>(s, ignoreCase: true, out var v) && !int.TryParse(s, out _)
            ? v : throw ConfigException.At(File, node, $"{what} must be one of {string.Join(", ", System.Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}, not '{s}'");
    }

    /// <summary>Loads a YAML document; syntax errors become ConfigException with the line.</summary>
    public static YamlNode? Load(string file, TextReader reader)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            var message = e.InnerException?.Message ?? e.Message;
            throw new ConfigException(file, e.Start.Line, "invalid YAML: " + FirstLine(message));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet 18 throws these instead of YamlException on some malformed input (found by fuzzing:
            // "... .", "!!str]", "?\n{\0\n\x1a\0}"); they carry no position.
            throw new ConfigException(file, 0, "invalid YAML: " + FirstLine(e.Message));
        }

        return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
    }

    private static string FirstLine(string message)
    {
        var cut = message.IndexOfAny(new[] { '\r', '\n' });
        return cut < 0 ? message : message.Substring(0, cut);
    }
}
