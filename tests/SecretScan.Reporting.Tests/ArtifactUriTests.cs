// Percent-encoding of artifact URIs: what GitHub and other SARIF readers decode back to the repository path.
namespace SecretScan.Reporting.Tests;

public class ArtifactUriTests
{
    [Theory]
    [InlineData("src/app.cs", "src/app.cs")]
    [InlineData("config/app settings.json", "config/app%20settings.json")]
    [InlineData("src/Zugänge/Konto.cs", "src/Zug%C3%A4nge/Konto.cs")]
    [InlineData("docs/日本.md", "docs/%E6%97%A5%E6%9C%AC.md")]
    [InlineData("emoji/🔑.txt", "emoji/%F0%9F%94%91.txt")]
    [InlineData("c:notes.txt", "c%3Anotes.txt")]
    [InlineData("100%/a#b?c.txt", "100%25/a%23b%3Fc.txt")]
    [InlineData("a[1]/{x}.txt", "a%5B1%5D/%7Bx%7D.txt")]
    [InlineData(@"win\style\path.txt", "win/style/path.txt")]
    [InlineData("./lib/x.js", "lib/x.js")]
    [InlineData("keep/sub-delims!$&'()*+,;=@~.txt", "keep/sub-delims!$&'()*+,;=@~.txt")]
    public void Relative_paths_are_percent_encoded(string path, string expected)
    {
        var uri = ArtifactUri.Relative(path);
        Assert.Equal(expected, uri);
        Assert.True(Uri.IsWellFormedUriString(uri, UriKind.Relative), uri);
        Assert.Equal(path.Replace('\\', '/').TrimStart('.', '/'), Uri.UnescapeDataString(uri));
    }

    [Theory]
    [InlineData("/home/dev/my app", "file:///home/dev/my%20app/")]
    [InlineData("/home/dev/repo/", "file:///home/dev/repo/")]
    [InlineData("/srv/Zugänge", "file:///srv/Zug%C3%A4nge/")]
    [InlineData(@"C:\src\my app", "file:///C:/src/my%20app/")]
    [InlineData(@"\\server\share\repo", "file://server/share/repo/")]
    public void Scan_root_is_a_file_uri_ending_with_a_slash(string root, string expected)
    {
        var uri = ArtifactUri.Folder(root);
        Assert.Equal(expected, uri);
        Assert.True(Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.IsFile, uri);
    }
}
