// The blobs of one commit's tree and their paths (`git ls-tree -r -z`), to tell which secrets are still present.
namespace SecretScan.Git;

internal static class TreeListing
{
    /// <summary>Blob id to the paths it has in <paramref name="commit"/>'s tree; submodules and trees are left out.</summary>
    public static Dictionary<ObjectKey, List<string>> Read(string directory, string commit)
    {
        var blobs = new Dictionary<ObjectKey, List<string>>();
        using var process = GitProcess.Start(directory, new[] { "ls-tree", "-r", "-z", "--full-tree", commit }, redirectInput: false);
        var stderr = process.StandardError.ReadToEndAsync();
        var reader = new NulTokenReader(process.StandardOutput.BaseStream);
        while (reader.TryRead(out var entry))
        {
            // "<mode> SP <type> SP <id> TAB <path>"
            var tab = entry.IndexOf((byte)'\t');
            if (tab < 0)
            {
                continue;
            }

            var meta = entry[..tab];
            var firstSpace = meta.IndexOf((byte)' ');
            var secondSpace = firstSpace < 0 ? -1 : meta[(firstSpace + 1)..].IndexOf((byte)' ') + firstSpace + 1;
            if (firstSpace < 0 || secondSpace <= firstSpace || !meta[(firstSpace + 1)..secondSpace].SequenceEqual("blob"u8))
            {
                continue;
            }

            if (!ObjectKey.TryParse(meta[(secondSpace + 1)..], out var id))
            {
                continue;
            }

            if (!blobs.TryGetValue(id, out var paths))
            {
                paths = new List<string>(1);
                blobs.Add(id, paths);
            }

            paths.Add(GitPath.Decode(entry[(tab + 1)..]));
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new GitException(GitProcess.FirstLine(stderr.Result) ?? $"git ls-tree {commit} failed");
        }

        return blobs;
    }
}
