// CRC-32 (IEEE 802.3, the zlib/PNG polynomial) over ASCII text, the checksum inside GitHub and npm tokens.
namespace SecretScan.Core.Validation;

internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>CRC-32 of the chars in [start, start + count), each taken as one byte (callers pass ASCII only).</summary>
    public static uint OfAscii(string text, int start, int count)
    {
        var crc = 0xFFFFFFFFu;
        for (var i = start; i < start + count; i++)
        {
            crc = Table[(crc ^ text[i]) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
