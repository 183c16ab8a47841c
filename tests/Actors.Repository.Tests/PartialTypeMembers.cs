using System.Text;
using System.Text.RegularExpressions;

namespace Actors.Repository.Tests;

/// <summary>
/// A small reader of C# source text, enough to say which fields each type declares in a file: it blanks comments, string
/// and character literals and preprocessor lines, then follows the braces of namespaces, types and members.
/// </summary>
/// <remarks>
/// A field is a member declaration ending in <c>;</c> at a type's top level whose name is not followed by <c>(</c>
/// (a method, a constructor, a delegate) or <c>=&gt;</c> (an expression-bodied property), and that is not a <c>const</c>.
/// Fields of a nested type belong to the nested type (<c>Outer.Nested</c>); interfaces and enums declare none.
/// Auto-properties are not counted (their backing field is the compiler's). It is a heuristic reader, not a compiler:
/// <see cref="PartialFieldTests"/> checks it on the shapes the repository uses.
/// </remarks>
internal static partial class PartialTypeMembers
{
    /// <summary>One type's declaration in one file: its name (nested types as <c>Outer.Nested</c>, after the namespace), whether it says <c>partial</c>, and its fields.</summary>
    public sealed record TypeDeclaration(string Name, bool IsPartial, IReadOnlyList<string> Fields);

    /// <summary>The type declarations of a C# file's text.</summary>
    public static IReadOnlyList<TypeDeclaration> Read(string source)
    {
        string text = Blank(source);
        string ns = FileScopedNamespace().Match(text) is { Success: true } m ? m.Groups[1].Value + "." : "";
        var declarations = new List<(string Name, bool IsPartial, List<string> Fields)>();
        var scopes = new Stack<Scope>();
        var segment = new StringBuilder();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            Scope? type = scopes.Count > 0 && scopes.Peek().Declaration >= 0 ? scopes.Peek() : null;
            bool inTypeBody = scopes.Count == 0 || scopes.Peek().Kind != ScopeKind.Other;
            if (c == '{')
            {
                string head = segment.ToString();
                segment.Clear();
                if (!inTypeBody)
                {
                    scopes.Push(new Scope(ScopeKind.Other, -1));
                    i++;
                    continue;
                }

                if (type is not null && ContinuesExpression(head))
                {
                    // An initializer or an expression body with braces inside (a collection, a pattern, a lambda): skip them.
                    int end = MatchingBrace(text, i);
                    segment.Append(head).Append("{}");
                    i = end + 1;
                    continue;
                }

                if (TypeHead().Match(head) is { Success: true } declared)
                {
                    string kind = declared.Groups[1].Value;
                    if (kind is "interface" or "enum")
                    {
                        scopes.Push(new Scope(ScopeKind.Other, -1));
                    }
                    else
                    {
                        string prefix = type is null ? ns : declarations[type.Declaration].Name + ".";
                        declarations.Add((prefix + declared.Groups[2].Value, PartialKeyword().IsMatch(head), []));
                        scopes.Push(new Scope(ScopeKind.Type, declarations.Count - 1));
                    }
                }
                else if (NamespaceHead().IsMatch(head))
                {
                    scopes.Push(new Scope(ScopeKind.Namespace, -1));
                }
                else
                {
                    // A member's body (a method, a property's accessors, an event's accessors): no fields inside.
                    i = MatchingBrace(text, i) + 1;
                    continue;
                }

                i++;
                continue;
            }

            if (c == '}')
            {
                if (scopes.Count > 0)
                {
                    scopes.Pop();
                }

                segment.Clear();
                i++;
                continue;
            }

            if (c == ';')
            {
                string member = segment.ToString();
                segment.Clear();
                if (type is not null && FieldName(member) is { } name)
                {
                    declarations[type.Declaration].Fields.Add(name);
                }

                i++;
                continue;
            }

            segment.Append(c);
            i++;
        }

        return [.. declarations.Select(d => new TypeDeclaration(d.Name, d.IsPartial, d.Fields))];
    }

    /// <summary>The name of the field a member declaration (without its <c>;</c>) declares, or null when it is not a field.</summary>
    internal static string? FieldName(string member)
    {
        string declaration = LeadingAttributes().Replace(member, "").Trim();
        if (declaration.Length == 0 || declaration[0] == '=' || ConstOrNonField().IsMatch(declaration))
        {
            return null;
        }

        int assignment = TopLevelIndexOf(declaration, "=");
        string head = assignment >= 0 ? declaration[..assignment] : declaration;
        if (head.Contains('(', StringComparison.Ordinal) || head.Contains("=>", StringComparison.Ordinal))
        {
            return null; // a method, constructor, delegate, or an expression-bodied property
        }

        // "int _a, _b": the last name stands for the declaration.
        return LastIdentifier().Match(head) is { Success: true } name ? name.Groups[1].Value : null;
    }

    /// <summary>True when a member's text before a <c>{</c> is an expression in progress (an initializer or an expression body).</summary>
    private static bool ContinuesExpression(string head) => TopLevelIndexOf(head, "=") >= 0 || TopLevelIndexOf(head, "=>") >= 0;

    /// <summary>The index of <paramref name="token"/> outside parentheses and brackets (so default parameter values do not count); for "=", not part of ==, !=, &lt;=, &gt;=, =&gt;.</summary>
    private static int TopLevelIndexOf(string text, string token)
    {
        int depth = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is '(' or '[')
            {
                depth++;
            }
            else if (c is ')' or ']')
            {
                depth--;
            }
            else if (depth == 0 && string.CompareOrdinal(text, i, token, 0, token.Length) == 0)
            {
                if (token != "=")
                {
                    return i;
                }

                char before = i > 0 ? text[i - 1] : ' ';
                char after = i + 1 < text.Length ? text[i + 1] : ' ';
                if (before is not ('=' or '!' or '<' or '>') && after is not ('=' or '>'))
                {
                    return i;
                }
            }
        }

        return -1;
    }

    private static int MatchingBrace(string text, int open)
    {
        int depth = 0;
        for (int i = open; i < text.Length; i++)
        {
            if (text[i] == '{')
            {
                depth++;
            }
            else if (text[i] == '}' && --depth == 0)
            {
                return i;
            }
        }

        return text.Length - 1;
    }

    /// <summary>The source with comments, string and character literals and preprocessor lines replaced by blanks (line breaks kept).</summary>
    internal static string Blank(string source)
    {
        var output = new StringBuilder(source.Length);
        int i = 0;
        while (i < source.Length)
        {
            int end = LiteralOrCommentEnd(source, i);
            if (end > i)
            {
                for (int k = i; k < end; k++)
                {
                    output.Append(source[k] == '\n' ? '\n' : ' ');
                }

                i = end;
                continue;
            }

            if (source[i] == '#' && AtLineStart(source, i))
            {
                while (i < source.Length && source[i] != '\n')
                {
                    output.Append(' ');
                    i++;
                }

                continue;
            }

            output.Append(source[i]);
            i++;
        }

        return output.ToString();
    }

    /// <summary>The end of the comment or literal starting at <paramref name="i"/>, or <paramref name="i"/> when none starts there.</summary>
    private static int LiteralOrCommentEnd(string s, int i)
    {
        if (string.CompareOrdinal(s, i, "//", 0, 2) == 0)
        {
            int end = s.IndexOf('\n', i);
            return end < 0 ? s.Length : end;
        }

        if (string.CompareOrdinal(s, i, "/*", 0, 2) == 0)
        {
            int end = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
            return end < 0 ? s.Length : end + 2;
        }

        if (s[i] == '\'' && CharLiteral().Match(s, i) is { Success: true } ch && ch.Index == i)
        {
            return i + ch.Length;
        }

        // A string: optional $ and @ prefixes, then one quote (regular or verbatim) or three or more (raw).
        int j = i;
        bool interpolated = false, verbatim = false;
        while (j < s.Length && s[j] is '$' or '@')
        {
            interpolated |= s[j] == '$';
            verbatim |= s[j] == '@';
            j++;
        }

        if (j >= s.Length || s[j] != '"' || (j > i && i > 0 && (char.IsLetterOrDigit(s[i - 1]) || s[i - 1] == '_')))
        {
            return i;
        }

        int quotes = 0;
        while (j + quotes < s.Length && s[j + quotes] == '"')
        {
            quotes++;
        }

        if (quotes >= 3)
        {
            string fence = new('"', quotes);
            int end = s.IndexOf(fence, j + quotes, StringComparison.Ordinal);
            return end < 0 ? s.Length : end + quotes;
        }

        return QuotedEnd(s, j + 1, interpolated, verbatim);
    }

    /// <summary>The end of a one-quote string whose text starts at <paramref name="i"/>; interpolation holes may hold strings of their own.</summary>
    private static int QuotedEnd(string s, int i, bool interpolated, bool verbatim)
    {
        int holes = 0;
        while (i < s.Length)
        {
            char c = s[i];
            if (holes > 0)
            {
                if (c == '"' || (c is '$' or '@' && i + 1 < s.Length && s[i + 1] is '"' or '$' or '@'))
                {
                    int end = LiteralOrCommentEnd(s, i);
                    i = end > i ? end : i + 1;
                    continue;
                }

                holes += c == '{' ? 1 : c == '}' ? -1 : 0;
                i++;
                continue;
            }

            if (interpolated && c == '{')
            {
                if (i + 1 < s.Length && s[i + 1] == '{')
                {
                    i += 2;
                    continue;
                }

                holes = 1;
                i++;
                continue;
            }

            if (verbatim && c == '"' && i + 1 < s.Length && s[i + 1] == '"')
            {
                i += 2;
                continue;
            }

            if (!verbatim && c == '\\')
            {
                i += 2;
                continue;
            }

            if (c == '"')
            {
                return i + 1;
            }

            i++;
        }

        return s.Length;
    }

    private static bool AtLineStart(string s, int i)
    {
        for (int k = i - 1; k >= 0 && s[k] != '\n'; k--)
        {
            if (!char.IsWhiteSpace(s[k]))
            {
                return false;
            }
        }

        return true;
    }

    private enum ScopeKind
    {
        Namespace,
        Type,
        Other,
    }

    private sealed record Scope(ScopeKind Kind, int Declaration);

    [GeneratedRegex(@"\bnamespace\s+([\w.]+)\s*;")]
    private static partial Regex FileScopedNamespace();

    [GeneratedRegex(@"\bnamespace\s+[\w.]+\s*$")]
    private static partial Regex NamespaceHead();

    [GeneratedRegex(@"(?:^|[\s\]])(class|struct|record|interface|enum)\s+(?:(?:class|struct)\s+)?(\w+)")]
    private static partial Regex TypeHead();

    [GeneratedRegex(@"\bpartial\b")]
    private static partial Regex PartialKeyword();

    [GeneratedRegex(@"^\s*(?:\[[^\]]*\]\s*)+")]
    private static partial Regex LeadingAttributes();

    [GeneratedRegex(@"\b(?:const|operator|using|namespace|delegate)\b|^\s*(?:return|throw|yield|await|break|continue)\b")]
    private static partial Regex ConstOrNonField();

    [GeneratedRegex(@"(@?[A-Za-z_]\w*)\s*$")]
    private static partial Regex LastIdentifier();

    [GeneratedRegex(@"'(?:\\.[^']{0,8}|[^'\\\n])'")]
    private static partial Regex CharLiteral();
}
