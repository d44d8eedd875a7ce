// Keys of the properties a SecretScan diagnostic carries to the code fixes (never the secret itself).
namespace SecretScan.Analyzers;

internal static class DiagnosticProperties
{
    /// <summary>The symbol, key or parameter the value is assigned to; the code fixes derive names from it.</summary>
    public const string SymbolName = "SecretScan.SymbolName";

    /// <summary>"true" when the literal sits where C# needs a constant, so only the suppression fix applies.</summary>
    public const string ConstantRequired = "SecretScan.ConstantRequired";

    /// <summary>"literal" for a string expression the fixes can replace, "array" for byte/char arrays.</summary>
    public const string ValueKind = "SecretScan.ValueKind";

    public const string LiteralKind = "literal";

    public const string ArrayKind = "array";
}
