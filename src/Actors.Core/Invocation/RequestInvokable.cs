using System.Reflection;

namespace Actors.Invocation;

/// <summary>
/// The <see cref="IInvokable"/> of a grain call: its method and a private copy of its arguments that filters may change
/// (what call filters and <c>[MayInterleave]</c> predicates receive).
/// </summary>
public sealed class RequestInvokable(GrainMethod method, object?[] arguments) : IInvokable
{
    /// <summary>The arguments (a copy of those given; changes do not affect the caller's array).</summary>
    public object?[] Arguments { get; } = (object?[])arguments.Clone();

    /// <inheritdoc />
    public int GetArgumentCount() => Arguments.Length;

    /// <inheritdoc />
    public object? GetArgument(int index) => Arguments[index];

    /// <inheritdoc />
    public void SetArgument(int index, object? value)
    {
        Type parameter = method.ParameterTypes[index];
        if (value is null ? parameter.IsValueType && Nullable.GetUnderlyingType(parameter) is null : !parameter.IsInstanceOfType(value))
        {
            throw new ArgumentException($"Argument {index} of {method.Key} must be a {parameter.FullName}; got {value?.GetType().FullName ?? "null"}.", nameof(value));
        }

        Arguments[index] = value;
    }

    /// <inheritdoc />
    public string GetMethodName() => method.Method.Name;

    /// <inheritdoc />
    public string GetInterfaceName() => method.InterfaceType.FullName ?? method.InterfaceType.Name;

    /// <inheritdoc />
    public Type GetInterfaceType() => method.InterfaceType;

    /// <inheritdoc />
    public MethodInfo GetMethod() => method.Method;
}
