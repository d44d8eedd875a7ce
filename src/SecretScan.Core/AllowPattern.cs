// An allowlist regex that starts interpreted and compiles itself once interpreting it has cost what compiling would.
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SecretScan.Core;

/// <summary>
/// One allow pattern of a rule or of the global allowlist. Allow patterns run on every match of their rule (on the
/// secret and on the whole match), and their cost differs by two orders of magnitude: an anchored character class takes
/// 0.15 µs a call interpreted, a lazy name prefix before a 60-word alternation (SS1904's not-a-secret names) 40 µs, which
/// on a secret-dense corpus was three quarters of that rule's time. Compiling every allow pattern up front would cost
/// 25-40 ms each for patterns that mostly never get hot, so each one counts the time it spends interpreted and compiles
/// itself in the background once that reaches <see cref="RuleSetOptions.CompileAllowPatternsAfter"/>: a cheap or rarely
/// used pattern never pays for compilation, a hot one pays at most about twice what perfect foresight would.
/// </summary>
internal sealed class AllowPattern
{
    private readonly string pattern;
    private readonly TimeSpan timeout;
    private readonly long budgetTicks;
    private Regex regex;
    private long spentTicks;
    private int upgrading;

    /// <param name="compileAfter">Interpreted matching time after which to compile; null never compiles.</param>
    public AllowPattern(string pattern, TimeSpan timeout, TimeSpan? compileAfter)
    {
        this.pattern = pattern;
        this.timeout = timeout;
        regex = new Regex(pattern, RegexOptions.CultureInvariant, timeout);
        budgetTicks = compileAfter is { } after ? (long)(after.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        upgrading = compileAfter is null ? 1 : 0;
    }

    /// <summary>True once the compiled regex has replaced the interpreted one.</summary>
    public bool IsCompiled => (Volatile.Read(ref regex).Options & RegexOptions.Compiled) != 0;

    public bool IsMatch(string input)
    {
        if (Volatile.Read(ref upgrading) != 0)
        {
            return Volatile.Read(ref regex).IsMatch(input);
        }

        var started = Stopwatch.GetTimestamp();
        var result = regex.IsMatch(input);
        if (Interlocked.Add(ref spentTicks, Stopwatch.GetTimestamp() - started) >= budgetTicks && Interlocked.Exchange(ref upgrading, 1) == 0)
        {
            Task.Run(() =>
            {
                var compiled = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, timeout);

                // The emitted code is JIT-compiled on its first match: pay that here, not on a scanning thread.
                compiled.IsMatch(string.Empty);
                Volatile.Write(ref regex, compiled);
            });
        }

        return result;
    }
}
