using System.Text;

namespace Actors.Serialization;

/// <summary>Readable type names for error messages (<c>List&lt;Ns.Item&gt;</c> rather than CLR's assembly-qualified form).</summary>
internal static class TypeNames
{
    public static string Display(Type type)
    {
        if (type.IsArray)
        {
            return $"{Display(type.GetElementType()!)}[{new string(',', type.GetArrayRank() - 1)}]";
        }

        if (!type.IsGenericType)
        {
            return type.FullName ?? type.Name;
        }

        string name = type.IsGenericTypeDefinition ? type.FullName ?? type.Name : type.GetGenericTypeDefinition().FullName ?? type.Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        var builder = new StringBuilder(tick < 0 ? name : name[..tick]).Append('<');
        Type[] arguments = type.GetGenericArguments();
        for (int i = 0; i < arguments.Length; i++)
        {
            builder.Append(i == 0 ? string.Empty : ", ").Append(type.IsGenericTypeDefinition ? string.Empty : Display(arguments[i]));
        }

        return builder.Append('>').ToString();
    }
}
