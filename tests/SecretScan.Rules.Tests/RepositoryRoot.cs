// Finds the repository root from the test's output folder, so tests read rules/ and the generated files in place.
namespace SecretScan.Rules.Tests;

internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "SecretScan.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SecretScan.sln not found above " + AppContext.BaseDirectory);
    }
}
