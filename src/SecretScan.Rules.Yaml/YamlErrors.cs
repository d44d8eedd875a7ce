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
}
