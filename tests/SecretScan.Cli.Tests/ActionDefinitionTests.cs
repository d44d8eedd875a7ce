// action.yml and the repository's workflow checked against the CLI they run: valid YAML, every input used, every
// `secretscan` command and flag real, inputs passed through env, and the README's example workflow identical to ours.
using System.CommandLine;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace SecretScan.Cli.Tests;

public class ActionDefinitionTests
{
    private static readonly string Root = FindRoot();

    private static string ActionFile => Path.Combine(Root, "action.yml");

    private static string WorkflowFile => Path.Combine(Root, ".github", "workflows", "secretscan.yml");

    [Fact]
    public void Action_is_a_composite_action_with_the_promised_inputs_and_outputs()
    {
        var action = Load(ActionFile);
        Assert.Equal("composite", Scalar(Map(action, "runs"), "using"));
        var inputs = Map(action, "inputs");
        Assert.Equal(
            new[] { "baseline", "config", "fail-on", "mode", "revoke", "sarif-path", "upload-sarif" },
            inputs.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).Order(StringComparer.Ordinal));
        Assert.Equal("false", Scalar(Map(inputs, "revoke"), "default"));
        Assert.Equal("true", Scalar(Map(inputs, "upload-sarif"), "default"));
        Assert.Equal("auto", Scalar(Map(inputs, "mode"), "default"));

        var outputs = Map(action, "outputs");
        Assert.Contains("steps.scan.outputs.findings", Scalar(Map(outputs, "findings"), "value"), StringComparison.Ordinal);
        Assert.Contains("steps.scan.outputs.sarif", Scalar(Map(outputs, "sarif"), "value"), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_input_is_used_by_a_step()
    {
        var action = Load(ActionFile);
        var steps = Serialize(Map(action, "runs").Children[new YamlScalarNode("steps")]);
        foreach (var input in Map(action, "inputs").Children.Keys.Select(k => ((YamlScalarNode)k).Value!))
        {
            Assert.True(steps.Contains("inputs." + input, StringComparison.Ordinal), $"input '{input}' is declared but no step uses it");
        }
    }

    [Fact]
    public void Scripts_take_inputs_through_env_never_through_expressions()
    {
        foreach (var step in Steps(Load(ActionFile)))
        {
            if (step.Children.ContainsKey(new YamlScalarNode("run")))
            {
                Assert.DoesNotContain("${{", Scalar(step, "run"), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void The_one_secretscan_command_exists_in_the_cli_with_every_flag_it_passes()
    {
        var commands = Steps(Load(ActionFile))
            .Where(s => s.Children.ContainsKey(new YamlScalarNode("run")))
            .SelectMany(s => SecretscanCommands(Scalar(s, "run")))
            .ToList();
        var words = Assert.Single(commands);
        Assert.Equal(new[] { "ci", "github" }, words.Take(2));

        Command command = Commands.Build();
        var i = 0;
        for (; i < words.Count && !words[i].StartsWith('-'); i++)
        {
            var sub = command.Subcommands.FirstOrDefault(c => c.Name == words[i]);
            Assert.True(sub is not null, $"`secretscan {string.Join(' ', words.Take(i + 1))}` is not a command of the CLI");
            command = sub;
        }

        Assert.True(command.Action is not null, $"`secretscan {string.Join(' ', words.Take(i))}` needs a subcommand");
        var flags = words.Skip(i).Where(w => w.StartsWith("--", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(flags);
        foreach (var flag in flags)
        {
            Assert.True(
                command.Options.Any(o => o.Name == flag || o.Aliases.Contains(flag)),
                $"`secretscan {string.Join(' ', words.Take(i))}` has no option {flag}");
        }

        // The whole command line parses, as the action passes it (empty inputs included).
        var parse = Commands.Build().Parse(words.Select(w => w.StartsWith('$') ? Sample(w) : w).ToArray());
        Assert.Empty(parse.Errors);
    }

    [Fact]
    public void Sarif_upload_is_skipped_for_forks_and_when_turned_off()
    {
        var upload = Assert.Single(Steps(Load(ActionFile)), s => s.Children.ContainsKey(new YamlScalarNode("uses")) && Scalar(s, "uses").StartsWith("github/codeql-action/upload-sarif@", StringComparison.Ordinal));
        var condition = Scalar(upload, "if");
        Assert.Contains("steps.scan.outputs.fork != 'true'", condition, StringComparison.Ordinal);
        Assert.Contains("inputs.upload-sarif == 'true'", condition, StringComparison.Ordinal);
        Assert.Contains("steps.scan.outputs.sarif", Scalar(Map(upload, "with"), "sarif_file"), StringComparison.Ordinal);
    }

    [Fact]
    public void Workflow_checks_out_the_full_history_and_uses_this_action()
    {
        var workflow = Load(WorkflowFile);
        Assert.True(Map(workflow, "on").Children.ContainsKey(new YamlScalarNode("pull_request")));
        var permissions = Map(workflow, "permissions");
        Assert.Equal("read", Scalar(permissions, "contents"));
        Assert.Equal("write", Scalar(permissions, "security-events"));
        var job = (YamlMappingNode)Map(workflow, "jobs").Children.Values.Single();
        var steps = ((YamlSequenceNode)job.Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>().ToList();
        var checkout = Assert.Single(steps, s => Scalar(s, "uses") == "actions/checkout@v4");
        Assert.Equal("0", Scalar(Map(checkout, "with"), "fetch-depth"));
        Assert.Single(steps, s => Scalar(s, "uses") == "./");
    }

    /// <summary>Fails until the README carries the workflow: the lead pastes /work/notes/ci-readme.md into it.</summary>
    [Fact]
    public void Readme_example_workflow_is_the_repository_workflow_byte_for_byte()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var example = FirstYamlBlockAfter(readme, "Pull-request workflow");
        Assert.True(example is not null, "README.md has no ```yaml block after a heading \"Pull-request workflow\"");
        Assert.Equal(File.ReadAllText(WorkflowFile), example);
    }

    /// <summary>The text of the first ```yaml fence after the heading, with its final newline; null when there is none.</summary>
    internal static string? FirstYamlBlockAfter(string markdown, string heading)
    {
        var lines = markdown.Split('\n');
        var at = Array.FindIndex(lines, l => l.StartsWith('#') && l.TrimStart('#').Trim() == heading);
        if (at < 0)
        {
            return null;
        }

        var open = Array.FindIndex(lines, at + 1, l => l.TrimEnd() == "```yaml");
        var close = open < 0 ? -1 : Array.FindIndex(lines, open + 1, l => l.TrimEnd() == "```");
        return close < 0 ? null : string.Concat(lines[(open + 1)..close].Select(l => l + "\n"));
    }

    /// <summary>
    /// The words after each `secretscan` run as a command in a shell script (the tool may be named by a path such as
    /// "$RUNNER_TEMP/secretscan-tool/secretscan"), up to the end of the command. Quotes are removed, variables kept.
    /// </summary>
    internal static IEnumerable<List<string>> SecretscanCommands(string script)
    {
        var joined = script.Replace("\\\n", " ", StringComparison.Ordinal);
        foreach (var line in joined.Split('\n'))
        {
            var words = ShellWords(line);
            for (var i = 0; i < words.Count; i++)
            {
                var atCommand = i == 0 || words[i - 1] is ";" or "&&" or "||" or "|" or "then" or "do" or "else";
                if (atCommand && (words[i] == "secretscan" || words[i].EndsWith("/secretscan", StringComparison.Ordinal)))
                {
                    yield return words.Skip(i + 1).TakeWhile(w => w is not (";" or "&&" or "||" or "|" or ">" or ">>" or "#")).ToList();
                }
            }
        }
    }

    private static List<string> ShellWords(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char quote = '\0';
        foreach (var c in line)
        {
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    /// <summary>A value the action could pass for an input variable: its default, or empty.</summary>
    private static string Sample(string variable) => variable switch
    {
        "$INPUT_MODE" => "auto",
        "$INPUT_FAIL_ON" => "low",
        "$INPUT_REVOKE" => "false",
        _ => "",
    };

    private static YamlMappingNode Load(string path)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(path);
        yaml.Load(reader);
        return (YamlMappingNode)Assert.Single(yaml.Documents).RootNode;
    }

    private static IEnumerable<YamlMappingNode> Steps(YamlMappingNode action) =>
        ((YamlSequenceNode)Map(action, "runs").Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>();

    private static YamlMappingNode Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlMappingNode map
            ? map
            : throw new Xunit.Sdk.XunitException($"no mapping '{key}'");

    private static string Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlScalarNode scalar ? scalar.Value ?? "" : "";

    private static string Serialize(YamlNode node)
    {
        var yaml = new YamlStream(new YamlDocument(node));
        using var writer = new StringWriter();
        yaml.Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SecretScan.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SecretScan.sln not found above " + AppContext.BaseDirectory);
    }
}
