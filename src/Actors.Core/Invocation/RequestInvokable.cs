using System.Reflection;

namespace Actors.Invocation;

/// <summary>The <see cref="IInvokable"/> of a <see cref="GrainCallRequest"/>: its method and a private copy of its arguments that filters may change.</summary>
internal sealed class RequestInvokable(GrainMethod method, object?[] arguments) : IInvokable
{
    public object?[] Arguments { get; } = (object?[])arguments.Clone();

    public int GetArgumentCount() => Arguments.Length;

    public object? GetArgument(int index) => Arguments[index];

    public void SetArgument(int index, object? value)
    {
        Type parameter = method.ParameterTypes[index];
        if (value is null ? parameter.IsValueType && Nullable.GetUnderlyingType(parameter) is null : !parameter.IsInstanceOfType(value))
        {
            throw new ArgumentException($"Argument {index} of {method.Key} must be a {parameter.FullName}; got {value?.GetType().FullName ?? "null"}.", nameof(value));
        }

        Arguments[index] = value;
    }

    public string GetMethodName() => method.Method.Name;

    public string GetInterfaceName() => method.InterfaceType.FullName ?? method.InterfaceType.Name;

    public Type GetInterfaceType() => method.InterfaceType;

    public MethodInfo GetMethod() => method.Method;
}
