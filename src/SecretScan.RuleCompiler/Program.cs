// Rule compiler: `dotnet run --project src/SecretScan.RuleCompiler [-- --check]` from the repository root.
// Refuses to write anything while a rule fails its lint or examples; --check fails when the generated files drift.
using SecretScan.Core;
using SecretScan.Rules.Yaml;

namespace SecretScan.RuleCompiler;

internal static class Program
{
    public static int Main(string[] args)
    {
        var check = args.Contains("--check");
        var rootIndex = Array.IndexOf(args, "--root");
        var root = rootIndex >= 0 && rootIndex + 1 < args.Length ? args[rootIndex + 1] : FindRepositoryRoot();
        try
        {
            var outputs = Compile(root, out var problems);
            foreach (var p in problems)
            {
                Console.Error.WriteLine(p);
            }

            if (problems.Count > 0)
            {
                Console.Error.WriteLine($"rule-compiler: {problems.Count} problems; nothing written");
                return 1;
            }

            var drift = outputs.Where(o => !File.Exists(Path.Combine(root, o.Path)) || File.ReadAllText(Path.Combine(root, o.Path)) != o.Content).ToArray();
            if (check)
            {
                foreach (var o in drift)
                {
                    Console.Error.WriteLine($"rule-compiler: {o.Path} is out of date with rules/*.yaml; run `dotnet run --project src/SecretScan.RuleCompiler`");
                }

                return drift.Length == 0 ? 0 : 1;
            }

            foreach (var o in drift)
            {
                File.WriteAllText(Path.Combine(root, o.Path), o.Content);
                Console.Out.WriteLine("wrote " + o.Path);
            }

            Console.Out.WriteLine($"rule-compiler: rules OK, {drift.Length} files updated");
            return 0;
        }
        catch (ConfigException e)
        {
            Console.Error.WriteLine("rule-compiler: " + e.Message);
            return 1;
        }
    }

    /// <summary>Loads and checks rules/*.yaml and renders the generated files (without writing them).</summary>
    internal static IReadOnlyList<(string Path, string Content)> Compile(string root, out IReadOnlyList<RuleProblem> problems)
    {
        var rules = LoadRules(root);
        // A fixed seed, as in the rule tests: whether the generated files are written (or CI's --check passes) must not
        // depend on a random draw. Some templates still produce a placeholder-like value about once in 30 draws
        // (e.g. a {{alnum:14}} password); `secretscan rules check` keeps drawing fresh values to find those.
        problems = RuleCheck.Run(rules, requireDocumentation: true, seed: 1);
        return new[]
        {
            (RuleTableWriter.CSharpPath, RuleTableWriter.CSharp(rules)),
            (RuleTableWriter.ReadmePath, RuleTableWriter.Readme(rules)),
        };
    }

    /// <summary>The rule files with their Source made relative to the repository, so the output does not depend on where it is built.</summary>
    internal static IReadOnlyList<Rule> LoadRules(string root) =>
        RuleFileLoader.LoadPath(Path.Combine(root, "rules"))
            .Select(r => r with { Source = Path.GetRelativePath(root, r.Source).Replace('\\', '/') })
            .ToArray();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SecretScan.sln")))
            {
                return dir.FullName;
            }
        }

        throw new ConfigException(Directory.GetCurrentDirectory(), 0, "not inside the SecretScan repository (no SecretScan.sln above)");
    }
}
