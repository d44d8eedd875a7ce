// An expected failure of a git operation (not a repository, unknown revision, clone too shallow): one line for people.
namespace SecretScan.Git;

/// <summary>What the user asked of git cannot be done; the message is one line that says why and, where it can, what to do.</summary>
public sealed class GitException : Exception
{
    public GitException(string message)
        : base(message)
    {
    }

    public GitException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
