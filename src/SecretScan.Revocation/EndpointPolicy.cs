// Where a secret may be sent: HTTPS anywhere, plain HTTP only to this machine (tests, local relays).
using System.Net;

namespace SecretScan.Revocation;

public static class EndpointPolicy
{
    /// <summary>Null when <paramref name="uri"/> may carry a secret, else why not.</summary>
    public static string? Check(Uri uri)
    {
        if (!uri.IsAbsoluteUri)
        {
            return $"'{uri}' is not an absolute URL";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return $"'{Describe(uri)}' holds credentials in the URL; put them in the config's environment variables instead";
        }

        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            return null;
        }

        if (uri.Scheme == Uri.UriSchemeHttp)
        {
            return IsLoopback(uri)
                ? null
                : $"plain http:// is refused for '{Describe(uri)}': a secret would cross the network unencrypted (use https://; http is allowed only for loopback)";
        }

        return $"'{Describe(uri)}': only https:// (or http:// to loopback) is allowed";
    }

    /// <summary>Parses and checks a URL from configuration; the message says what is wrong.</summary>
    public static Uri Parse(string text, string what)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            throw new ArgumentException($"{what}: '{text}' is not an absolute URL");
        }

        var problem = Check(uri);
        return problem is null ? uri : throw new ArgumentException($"{what}: {problem}");
    }

    /// <summary>
    /// Literal loopback addresses and "localhost" only: a name that merely resolves to 127.0.0.1 could be rebound to
    /// another host between the check and the request.
    /// </summary>
    public static bool IsLoopback(Uri uri) =>
        string.Equals(uri.IdnHost, "localhost", StringComparison.OrdinalIgnoreCase) ||
        (IPAddress.TryParse(uri.IdnHost, out var address) && IPAddress.IsLoopback(address));

    /// <summary>The URL without user info, query or fragment, for logs: those may hold a token.</summary>
    public static string Describe(Uri uri) =>
        uri.IsAbsoluteUri ? uri.Scheme + "://" + uri.Authority + uri.AbsolutePath : uri.ToString();
}
