namespace Actors.Serialization;

/// <summary>
/// The one grammar of assembly-free type names that Actors writes on the wire and in logs: a name (namespace-qualified
/// CLR name with '+' for nesting, or an <see cref="AliasAttribute"/> alias), then for a constructed generic type its
/// arguments in angle brackets (<c>Name&lt;A,B&gt;</c>), then any number of array suffixes (<c>[]</c> a vector,
/// <c>[,]</c> a rank-2 array). Parsing never loads an assembly: the caller's lookup resolves each bare name.
/// </summary>
public static class TypeNameSyntax
{
    /// <summary>
    /// Resolves a bare name (no arguments, no array suffix) to a type; <c>arity</c> is the number of type arguments
    /// that follow it (0 when none). The lookup returns null when no type fits; a definition whose parameter count
    /// differs from <c>arity</c> is rejected by <see cref="Parse"/> anyway.
    /// </summary>
    public delegate Type? DefinitionLookup(string name, int arity);

    /// <summary>
    /// Parses one type name starting at <paramref name="position"/> and leaves <paramref name="position"/> after it
    /// (at the end, or at a ',' or '>' that belongs to the caller). Null when a name is unknown, the brackets are
    /// malformed, or the arguments violate the definition's arity or constraints.
    /// </summary>
    public static Type? Parse(string text, ref int position, DefinitionLookup findDefinition)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(findDefinition);
        int start = position;
        while (position < text.Length && text[position] is not ('<' or '>' or ',' or '[' or ']'))
        {
            position++;
        }

        string name = text[start..position];
        List<Type>? arguments = null;
        if (position < text.Length && text[position] == '<')
        {
            arguments = [];
            do
            {
                position++;
                if (Parse(text, ref position, findDefinition) is not { } argument)
                {
                    return null;
                }

                arguments.Add(argument);
            }
            while (position < text.Length && text[position] == ',');

            if (position >= text.Length || text[position++] != '>')
            {
                return null;
            }
        }

        Type? type = findDefinition(name, arguments?.Count ?? 0);
        if (type is null)
        {
            return null;
        }

        if (arguments is not null)
        {
            if (!type.IsGenericTypeDefinition || type.GetGenericArguments().Length != arguments.Count)
            {
                return null;
            }

            try
            {
                type = type.MakeGenericType([.. arguments]);
            }
            catch (ArgumentException)
            {
                return null; // a constraint violated
            }
        }

        while (position < text.Length && text[position] == '[')
        {
            int rank = 1;
            position++;
            while (position < text.Length && text[position] == ',')
            {
                rank++;
                position++;
            }

            if (position >= text.Length || text[position++] != ']')
            {
                return null;
            }

            type = rank == 1 ? type.MakeArrayType() : type.MakeArrayType(rank); // "[]" is always a vector
        }

        return type;
    }
}
