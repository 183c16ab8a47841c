using Actors.Invocation;

namespace Actors.Serialization;

/// <summary>
/// Names the grain method parameter or result in a serializer error's <see cref="SerializerException.MemberPath"/>, so
/// a value without a codec fails naming the method and parameter (<c>IOrders.Place(order) -> Order.Lines</c>), not only
/// the type. Used as exception filters around argument and result (de)serialization: they return false, so the
/// exception keeps propagating unchanged (same type, same typed properties).
/// </summary>
public static class CallPaths
{
    /// <summary>Records argument <paramref name="index"/> of <paramref name="method"/> in <paramref name="exception"/>'s member path; returns false.</summary>
    public static bool Argument(Exception exception, GrainMethod method, int index)
    {
        ArgumentNullException.ThrowIfNull(method);
        System.Reflection.ParameterInfo[] parameters = method.Method.GetParameters();
        string parameter = index >= 0 && index < parameters.Length ? parameters[index].Name ?? $"#{index}" : $"#{index}";
        return SerializerException.AddPath(exception, method.InterfaceType.Name, $"{method.Method.Name}({parameter})");
    }

    /// <summary>Records the result of <paramref name="method"/> in <paramref name="exception"/>'s member path; returns false.</summary>
    public static bool Result(Exception exception, GrainMethod method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return SerializerException.AddPath(exception, method.InterfaceType.Name, $"{method.Method.Name}(result)");
    }
}
