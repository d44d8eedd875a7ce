// The one error type for bad YAML input: a message that starts with file:line, ready for a one-line CLI error.
using YamlDotNet.RepresentationModel;

namespace SecretScan.Rules.Yaml;

public sealed class ConfigException : Exception
{
    public ConfigException(string file, long line, string message)
        : base(line > 0 ? $"{file}:{line}: {message}" : $"{file}: {message}")
    {
        File = file;
        Line = line;
    }

    public string File { get; }

    public long Line { get; }

    internal static ConfigException At(string file, YamlNode node, string message) => new(file, node.Start.Line, message);

    /// <summary>
    /// A key from the input, quoted for an error message. A mistyped key name is shown whole; anything else (a token
    /// pasted where a key goes) shows only its first 4 characters, so an error message never carries a secret.
    /// </summary>
    internal static string Quote(string key)
    {
        var isName = key.Length <= 24 && key.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-');
        return isName ? $"'{key}'" : $"'{key.Substring(0, Math.Min(4, key.Length / 4))}…' ({key.Length} characters, not shown)";
    }
}
