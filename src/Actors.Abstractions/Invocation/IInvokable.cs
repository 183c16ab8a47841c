using System.Reflection;

namespace Actors.Invocation;

/// <summary>
/// The request a call filter sees (the argument and method accessors of Orleans' <c>IInvokable</c>): the called method
/// and its arguments, which an incoming or outgoing filter may replace before the call proceeds.
/// </summary>
public interface IInvokable
{
    /// <summary>The number of arguments.</summary>
    int GetArgumentCount();

    /// <summary>The argument at <paramref name="index"/>.</summary>
    object? GetArgument(int index);

    /// <summary>Replaces the argument at <paramref name="index"/> (it must be assignable to the parameter's type).</summary>
    void SetArgument(int index, object? value);

    /// <summary>The called method's name.</summary>
    string GetMethodName();

    /// <summary>The name of the interface that declares the method.</summary>
    string GetInterfaceName();

    /// <summary>The interface that declares the method.</summary>
    Type GetInterfaceType();

    /// <summary>The interface method.</summary>
    MethodInfo GetMethod();
}
