// A real HTTP/1.1 server on 127.0.0.1 (optionally TLS) that records every request and answers as the test says.
using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SecretScan.Revocation.Tests;

internal sealed record RecordedRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, IReadOnlyList<string> HeaderNames, byte[] Body)
{
    public string Path => Target.Split('?')[0];

    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}

internal sealed record CannedResponse(int Status, string Body = "", IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <summary>Waits this long before answering (a slow provider).</summary>
    public TimeSpan Delay { get; init; }

    public static CannedResponse Json(int status, string body, params (string Name, string Value)[] headers) =>
        new(status, body, headers.Append((Name: "Content-Type", Value: "application/json; charset=utf-8")).ToDictionary(h => h.Name, h => h.Value));
}

internal sealed class LoopbackServer : IDisposable
{
    private readonly TcpListener listener;
    private readonly Func<RecordedRequest, CannedResponse> handler;
    private readonly X509Certificate2? certificate;
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentQueue<RecordedRequest> requests = new();
    private int handshakeFailures;
    private int connections;

    public LoopbackServer(Func<RecordedRequest, CannedResponse> handler, X509Certificate2? certificate = null)
    {
        this.handler = handler;
        this.certificate = certificate;
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _ = AcceptLoop();
    }

    public int Port { get; }

    public Uri BaseUrl => new($"{(certificate is null ? "http" : "https")}://127.0.0.1:{Port}/");

    public IReadOnlyList<RecordedRequest> Requests => requests.ToArray();

    public int HandshakeFailures => Volatile.Read(ref handshakeFailures);

    public int Connections => Volatile.Read(ref connections);

    /// <summary>A port nothing listens on: connecting to it is refused.</summary>
    public static int ClosedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>A self-signed certificate for 127.0.0.1 that no client trusts.</summary>
    public static X509Certificate2 UntrustedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
    }

    private async Task AcceptLoop()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref connections);
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using (client)
        {
            try
            {
                Stream stream = client.GetStream();
                if (certificate is not null)
                {
                    var tls = new SslStream(stream);
                    try
                    {
                        await tls.AuthenticateAsServerAsync(certificate, clientCertificateRequired: false, checkCertificateRevocation: false);
                    }
                    catch (Exception)
                    {
                        Interlocked.Increment(ref handshakeFailures);
                        return;
                    }

                    stream = tls;
                }

                var request = await ReadRequest(stream);
                if (request is null)
                {
                    return;
                }

                requests.Enqueue(request);
                var response = handler(request);
                if (response.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(response.Delay, stop.Token);
                }

                await WriteResponse(stream, response);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private static async Task<RecordedRequest?> ReadRequest(Stream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return null;
            }

            head.Add(one[0]);
        }

        var lines = Encoding.ASCII.GetString(head.ToArray()).Split("\r\n");
        var start = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var names = new List<string>();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var colon = line.IndexOf(':');
            var name = line.Substring(0, colon);
            names.Add(name);
            headers[name] = line.Substring(colon + 1).Trim();
        }

        var length = headers.TryGetValue("Content-Length", out var cl) ? int.Parse(cl) : 0;
        var body = new byte[length];
        await stream.ReadExactlyAsync(body);
        return new RecordedRequest(start[0], start[1], headers, names, body);
    }

    private static async Task WriteResponse(Stream stream, CannedResponse response)
    {
        var body = Encoding.UTF8.GetBytes(response.Body);
        var head = new StringBuilder();
        head.Append("HTTP/1.1 ").Append(response.Status).Append(' ').Append(Reason(response.Status)).Append("\r\n");
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("Content-Length: ").Append(body.Length).Append("\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await stream.WriteAsync(body);
        await stream.FlushAsync();
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        202 => "Accepted",
        204 => "No Content",
        302 => "Found",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        _ => "Status",
    };
}
