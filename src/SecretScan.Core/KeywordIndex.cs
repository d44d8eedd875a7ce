// The one-pass keyword prefilter: finds which rules' keywords occur in a text, so only those rules run their regex.
#if NET8_0_OR_GREATER
using System.Buffers;
#endif

namespace SecretScan.Core;

public sealed class KeywordIndex
{
    private readonly string[] keywords;
    private readonly int[][] rulesByKeyword;
    private readonly int[] alwaysRun;
    private readonly int ruleCount;
#if NET8_0_OR_GREATER
    private readonly SearchValues<string>? searchValues;
    private readonly Dictionary<char, int[]> keywordsByFirstChar = new();
#else
    private readonly AhoCorasick? automaton;
#endif

    /// <param name="ruleKeywords">Keywords of each rule, by rule index; an empty list means the rule always runs.</param>
    public KeywordIndex(IReadOnlyList<IReadOnlyList<string>> ruleKeywords)
    {
        ruleCount = ruleKeywords.Count;
        var byKeyword = new Dictionary<string, List<int>>(StringComparer.OrdinalIgnoreCase);
        var always = new List<int>();
        for (var r = 0; r < ruleKeywords.Count; r++)
        {
            if (ruleKeywords[r].Count == 0)
            {
                always.Add(r);
                continue;
            }

            foreach (var k in ruleKeywords[r])
            {
                if (!byKeyword.TryGetValue(k, out var list))
                {
                    byKeyword[k] = list = new List<int>();
                }

                if (!list.Contains(r))
                {
                    list.Add(r);
                }
            }
        }

        keywords = byKeyword.Keys.ToArray();
        rulesByKeyword = keywords.Select(k => byKeyword[k].ToArray()).ToArray();
        alwaysRun = always.ToArray();
        if (keywords.Length == 0)
        {
            return;
        }
#if NET8_0_OR_GREATER
        searchValues = SearchValues.Create(keywords, StringComparison.OrdinalIgnoreCase);
        foreach (var group in Enumerable.Range(0, keywords.Length).GroupBy(i => char.ToLowerInvariant(keywords[i][0])))
        {
            var indexes = group.ToArray();
            keywordsByFirstChar[group.Key] = indexes;
            var upper = char.ToUpperInvariant(group.Key);
            if (upper != group.Key)
            {
                keywordsByFirstChar[upper] = indexes;
            }
        }
#else
        automaton = new AhoCorasick(keywords);
#endif
    }

    public int RuleCount => ruleCount;

    /// <summary>Marks in <paramref name="active"/> every rule whose keyword occurs in the text, plus the rules without keywords.</summary>
    /// <returns>The number of rules marked.</returns>
    public int FindCandidates(string text, bool[] active)
    {
        Array.Clear(active, 0, active.Length);
        var marked = 0;
        foreach (var r in alwaysRun)
        {
            active[r] = true;
            marked++;
        }

        if (keywords.Length == 0)
        {
            return marked;
        }
#if NET8_0_OR_GREATER
        var span = text.AsSpan();
        var pos = 0;
        while (pos < span.Length)
        {
            var hit = span.Slice(pos).IndexOfAny(searchValues!);
            if (hit < 0)
            {
                break;
            }

            var at = pos + hit;
            if (keywordsByFirstChar.TryGetValue(span[at], out var candidates))
            {
                var rest = span.Slice(at);
                foreach (var k in candidates)
                {
                    if (rest.StartsWith(keywords[k], StringComparison.OrdinalIgnoreCase))
                    {
                        marked += Mark(k, active);
                    }
                }
            }

            pos = at + 1;
        }
#else
        automaton!.ForEachMatch(text, k => marked += Mark(k, active));
#endif
        return marked;
    }

    private int Mark(int keyword, bool[] active)
    {
        var marked = 0;
        foreach (var r in rulesByKeyword[keyword])
        {
            if (!active[r])
            {
                active[r] = true;
                marked++;
            }
        }

        return marked;
    }

#if !NET8_0_OR_GREATER
    /// <summary>Case-insensitive Aho-Corasick automaton, for the netstandard2.0 build that has no SearchValues.</summary>
    private sealed class AhoCorasick
    {
        private readonly List<Dictionary<char, int>> next = new() { new Dictionary<char, int>() };
        private readonly List<int> fail = new() { 0 };
        private readonly List<List<int>> outputs = new() { new List<int>() };

        public AhoCorasick(IReadOnlyList<string> words)
        {
            for (var w = 0; w < words.Count; w++)
            {
                var node = 0;
                foreach (var raw in words[w])
                {
                    var c = char.ToLowerInvariant(raw);
                    if (!next[node].TryGetValue(c, out var child))
                    {
                        child = next.Count;
                        next.Add(new Dictionary<char, int>());
                        fail.Add(0);
                        outputs.Add(new List<int>());
                        next[node][c] = child;
                    }

                    node = child;
                }

                outputs[node].Add(w);
            }

            var queue = new Queue<int>();
            foreach (var child in next[0].Values)
            {
                queue.Enqueue(child);
            }

            while (queue.Count > 0)
            {
                var node = queue.Dequeue();
                foreach (var pair in next[node])
                {
                    var child = pair.Value;
                    queue.Enqueue(child);
                    var f = fail[node];
                    while (f != 0 && !next[f].ContainsKey(pair.Key))
                    {
                        f = fail[f];
                    }

                    fail[child] = next[f].TryGetValue(pair.Key, out var target) && target != child ? target : 0;
                    outputs[child].AddRange(outputs[fail[child]]);
                }
            }
        }

        public void ForEachMatch(string text, Action<int> onKeyword)
        {
            var node = 0;
            foreach (var raw in text)
            {
                var c = char.ToLowerInvariant(raw);
                while (node != 0 && !next[node].ContainsKey(c))
                {
                    node = fail[node];
                }

                node = next[node].TryGetValue(c, out var target) ? target : 0;
                foreach (var w in outputs[node])
                {
                    onKeyword(w);
                }
            }
        }
    }
#endif
}
