// Renders the command tree as the Markdown CLI reference (src/SecretScan.Cli/REFERENCE.md); a test fails when the
// checked-in page differs from what the command definitions say, so the reference cannot drift from the code.
using System.Collections;
using System.CommandLine;
using System.Text;

namespace SecretScan.Cli;

internal static class CliReference
{
    public static string Render(RootCommand root)
    {
        var text = new StringBuilder();
        text.Append("# `secretscan` command reference\n\n")
            .Append("<!-- Generated from src/SecretScan.Cli/Commands.cs and the command files it uses; do not edit.\n")
            .Append("     Regenerate: SECRETSCAN_UPDATE_DOCS=1 dotnet test tests/SecretScan.Cli.Tests --filter CliReferenceTests -->\n\n")
            .Append(root.Description).Append("\n\n")
            .Append("Exit codes: **0** no findings at or above `--fail-on`, **1** findings, **2** error.\n\n");

        text.Append("| command | what it does |\n| --- | --- |\n");
        foreach (var (path, command) in Walk(root, "secretscan"))
        {
            if (command != root && !command.Hidden)
            {
                text.Append("| [`").Append(path).Append("`](#").Append(Anchor(path)).Append(") | ")
                    .Append(Cell(command.Description)).Append(" |\n");
            }
        }

        foreach (var (path, command) in Walk(root, "secretscan"))
        {
            if (command == root || command.Hidden)
            {
                continue;
            }

            text.Append("\n## ").Append(path).Append("\n\n").Append(command.Description).Append("\n\n");
            text.Append("```\n").Append(Usage(path, command)).Append("\n```\n");
            var arguments = command.Arguments.Where(a => !a.Hidden).ToList();
            var options = command.Options.Where(o => !o.Hidden).ToList();
            if (arguments.Count + options.Count == 0)
            {
                continue;
            }

            text.Append("\n| argument or option | description | default |\n| --- | --- | --- |\n");
            foreach (var argument in arguments)
            {
                text.Append("| `").Append(argument.Name.ToUpperInvariant()).Append("` | ").Append(Cell(argument.Description))
                    .Append(" | ").Append(argument.HasDefaultValue ? Default(argument.GetDefaultValue(), argument.Description) : "")
                    .Append(" |\n");
            }

            foreach (var option in options)
            {
                var names = string.Join(", ", new[] { option.Name }.Concat(option.Aliases.OrderBy(a => a, StringComparer.Ordinal))
                    .Select(n => "`" + n + "`"));
                var value = ValueName(option);
                text.Append("| ").Append(names).Append(value.Length > 0 ? " " + value : "").Append(" | ")
                    .Append(Cell(option.Description)).Append(" | ")
                    .Append(option.HasDefaultValue ? Default(option.GetDefaultValue(), option.Description) : "")
                    .Append(" |\n");
            }
        }

        return text.ToString();
    }

    private static IEnumerable<(string Path, Command Command)> Walk(Command command, string path)
    {
        yield return (path, command);
        foreach (var sub in command.Subcommands)
        {
            foreach (var child in Walk(sub, path + " " + sub.Name))
            {
                yield return child;
            }
        }
    }

    private static string Usage(string path, Command command)
    {
        var usage = new StringBuilder(path);
        if (command.Subcommands.Count > 0)
        {
            usage.Append(" <").Append(string.Join('|', command.Subcommands.Select(c => c.Name))).Append('>');
        }

        foreach (var argument in command.Arguments.Where(a => !a.Hidden))
        {
            var name = argument.Name.ToUpperInvariant();
            usage.Append(' ').Append(argument.HasDefaultValue || argument.Arity.MinimumNumberOfValues == 0 ? "[" + name + "]" : name);
        }

        if (command.Options.Any(o => !o.Hidden))
        {
            usage.Append(" [options]");
        }

        return usage.ToString();
    }

    private static string ValueName(Option option)
    {
        if (option.ValueType == typeof(bool) || option.Arity.MaximumNumberOfValues == 0)
        {
            return "";
        }

        var name = option.HelpName ?? option.Name.TrimStart('-').ToUpperInvariant();
        return option.Arity.MaximumNumberOfValues > 1 ? name + "..." : name;
    }

    /// <summary>A default that depends on the machine (say, the core count) is stated in the description instead.</summary>
    private static string Default(object? value, string? description)
    {
        if (description?.Contains("(default", StringComparison.OrdinalIgnoreCase) == true)
        {
            return "";
        }

        return value switch
        {
            null => "",
            bool b => b ? "`true`" : "",
            string s => s.Length == 0 ? "" : "`" + s + "`",
            IEnumerable e => string.Join(", ", e.Cast<object>().Select(v => "`" + v + "`")),
            _ => "`" + value + "`",
        };
    }

    private static string Cell(string? text) => (text ?? "").Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string Anchor(string path) => path.Replace(' ', '-');
}
