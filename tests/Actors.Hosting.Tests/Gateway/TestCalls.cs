using System.Reflection;
using Actors.Invocation;

namespace Actors.Hosting.Tests.Gateway;

/// <summary>Hand-built grain call requests for <see cref="ITestGatewayGrain"/> (invoker-level tests need no proxies).</summary>
public static class TestCalls
{
    public static GrainMethod Method(string name) =>
        GrainMethod.For(typeof(ITestGatewayGrain).GetMethod(name, BindingFlags.Public | BindingFlags.Instance)
            ?? throw new ArgumentException($"ITestGatewayGrain has no method {name}."));

    public static GrainCallRequest Call(string name, params object?[] arguments) => CallOn("g1", name, arguments);

    public static GrainCallRequest CallOn(string key, string name, params object?[] arguments) =>
        new(GrainId.Create("testgateway", key), Method(name), arguments);
}
