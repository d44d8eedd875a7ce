// Splits git's -z output (NUL-terminated fields) into byte tokens without turning every field into a string.
namespace SecretScan.Git;

internal sealed class NulTokenReader
{
    private readonly Stream stream;
    private byte[] buffer = new byte[1 << 20];
    private int start;
    private int end;
    private bool eof;

    public NulTokenReader(Stream stream) => this.stream = stream;

    /// <summary>The next token (without its NUL); false at the end of the stream. The span is valid until the next call.</summary>
    public bool TryRead(out ReadOnlySpan<byte> token)
    {
        while (true)
        {
            var nul = Array.IndexOf(buffer, (byte)0, start, end - start);
            if (nul >= 0)
            {
                token = buffer.AsSpan(start, nul - start);
                start = nul + 1;
                return true;
            }

            if (eof)
            {
                token = buffer.AsSpan(start, end - start);
                var any = end > start;
                start = end;
                return any;
            }

            Fill();
        }
    }

    private void Fill()
    {
        if (start > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }

        if (end == buffer.Length)
        {
            Array.Resize(ref buffer, buffer.Length * 2);
        }

        var n = stream.Read(buffer, end, buffer.Length - end);
        if (n == 0)
        {
            eof = true;
        }

        end += n;
    }
}
