using System.Reflection;
using Actors.Invocation;

namespace Actors.CodeGenerator.Tests;

public class GrainCodeTests
{
    private const string Interfaces = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Actors;

        namespace Shop;

        public interface IBase : IGrainWithStringKey { Task<int> Count(); }

        public interface ICart : IBase
        {
            Task Add(string sku, int quantity);
            ValueTask<(bool Found, string? Name)> Find(string? sku, CancellationToken token);
            ValueTask Clear();
            Task<List<Dictionary<string, int[]>>> Lines(int?[] filter);
            [Alias("renamed")] Task<object?> Echo(object? @value);
        }

        public sealed class Cart : ICart
        {
            private int _count;
            public Task<int> Count() => Task.FromResult(_count);
            public Task Add(string sku, int quantity) { _count += quantity; return Task.CompletedTask; }
            public ValueTask<(bool Found, string? Name)> Find(string? sku, CancellationToken token) => new((sku == "tea", sku));
            public ValueTask Clear() { _count = 0; return default; }
            public Task<List<Dictionary<string, int[]>>> Lines(int?[] filter) => Task.FromResult(new List<Dictionary<string, int[]>> { new() { ["n"] = new[] { filter.Length } } });
            public Task<object?> Echo(object? value) => Task.FromResult(value);
        }

        public interface IGeneric<T> : IGrainWithStringKey { Task<T> Get(); }
        public interface IConstrained<TKey, TValue> : IGrainWithStringKey where TKey : notnull, IComparable<TKey> where TValue : class, new() { Task<Dictionary<TKey, TValue?>> Get(TKey[] keys); }
        public interface IClosing : IGeneric<int> { Task Ping(); }
        public interface IWatcher : IGrainObserver { void Changed(string what); Task<int> Count(); }
        public interface IWithProperty : IGrainWithStringKey { int Count { get; } }
        public interface IGenericMethod : IGrainWithStringKey { Task<T> Get<T>(); }
        internal interface IInternal : IGrainWithIntegerKey { Task Ping(); }
        public class Outer { private interface IPrivate : IGrain { Task Ping(); } }
        public interface INotAGrain { Task Ping(); }
        """;

    [Fact]
    public void Generate_GrainInterfaces_ReferencesForTheForwardableOnesAndTheyCompile()
    {
        (Microsoft.CodeAnalysis.Compilation output, _, var sources) = GeneratorHarness.Generate(Interfaces, withGrainCode: true);

        Assert.Empty(GeneratorHarness.Errors(output));
        string all = string.Join("\n", sources);
        Assert.Contains("class GrainReference_Shop_ICart ", all, StringComparison.Ordinal);
        Assert.Contains("class GrainReference_Shop_IBase ", all, StringComparison.Ordinal);
        Assert.Contains("class GrainReference_Shop_IInternal ", all, StringComparison.Ordinal);
        Assert.Contains("class GrainReference_Shop_IGeneric_T_<T> ", all, StringComparison.Ordinal);
        Assert.Contains("AddGenericReference(typeof(global::Shop.IGeneric<>), typeof(GrainReference_Shop_IGeneric_T_<>))", all, StringComparison.Ordinal);
        Assert.Contains("where TKey : notnull, global::System.IComparable<TKey>", all, StringComparison.Ordinal);
        Assert.Contains("where TValue : class, new()", all, StringComparison.Ordinal);
        Assert.Contains("class GrainReference_Shop_IClosing ", all, StringComparison.Ordinal);
        Assert.Contains("void global::Shop.IWatcher.Changed(string p0) => InvokeOneWay(Methods[0], new object?[] { p0 });", all, StringComparison.Ordinal);
        Assert.DoesNotContain("IWithProperty", all, StringComparison.Ordinal);
        Assert.Contains("global::System.Threading.Tasks.Task<T> global::Shop.IGenericMethod.Get<T>() => InvokeTaskOf<T>(Methods[0].MakeGenericMethod(typeof(T)), global::System.Array.Empty<object?>());", all, StringComparison.Ordinal);
        Assert.DoesNotContain("IPrivate", all, StringComparison.Ordinal);
        Assert.DoesNotContain("INotAGrain", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GeneratedReference_EveryReturnShape_SendsTheMethodAndArgumentsAndReturnsTheResult()
    {
        Assembly assembly = LoadGenerated();
        Type cart = assembly.GetType("Shop.ICart")!;
        var invoker = new RecordingInvoker();
        var id = new GrainId("cart", "c1");

        Assert.True(GeneratedGrainCode.TryCreateReference(cart, invoker, id, out IGrain? reference));

        Assert.Equal(id, ((IGrainReference)reference).GrainId);
        Assert.Equal(cart, ((IGrainReference)reference).InterfaceType);
        Assert.StartsWith("ActorsGenerated.", reference.GetType().FullName, StringComparison.Ordinal);
        invoker.Result = 7;
        Assert.Equal(7, await (Task<int>)Call(reference, assembly.GetType("Shop.IBase")!, "Count"));
        invoker.Result = null;
        await (Task)Call(reference, cart, "Add", "tea", 2);
        Assert.Equal("Add", invoker.Last!.Method.Method.Name);
        Assert.Equal(new object?[] { "tea", 2 }, invoker.Last.Arguments);
        invoker.Result = (true, (string?)"tea");
        Assert.Equal((true, "tea"), await (ValueTask<(bool, string?)>)Call(reference, cart, "Find", "tea", CancellationToken.None));
        invoker.Result = null;
        await (ValueTask)Call(reference, cart, "Clear");
        invoker.Result = 12.5m;
        Assert.Equal(12.5m, await (Task<object?>)Call(reference, cart, "Echo", 12.5m));
        Assert.Equal("Shop.ICart.renamed", invoker.Last!.Method.Key);
    }

    [Fact]
    public async Task GeneratedInvoker_CallsTheGrainClassMethodAndAdaptsTheResult()
    {
        Assembly assembly = LoadGenerated();
        Type cart = assembly.GetType("Shop.ICart")!;
        object grain = Activator.CreateInstance(assembly.GetType("Shop.Cart")!)!;

        Assert.True(GeneratedGrainCode.TryGetInvoker(cart.GetMethod("Add")!, out var add));
        Assert.True(GeneratedGrainCode.TryGetInvoker(assembly.GetType("Shop.IBase")!.GetMethod("Count")!, out var count));
        Assert.True(GeneratedGrainCode.TryGetInvoker(cart.GetMethod("Find")!, out var find));
        Assert.True(GeneratedGrainCode.TryGetInvoker(cart.GetMethod("Lines")!, out var lines));
        Assert.False(GeneratedGrainCode.TryGetInvoker(assembly.GetType("Shop.IWithProperty")!.GetMethod("get_Count")!, out _));

        Assert.Null(await add(grain, ["tea", 3]));
        Assert.Equal(3, await count(grain, []));
        Assert.Equal((true, (string?)"tea"), await find(grain, ["tea", CancellationToken.None]));
        var result = (List<Dictionary<string, int[]>>)(await lines(grain, [new int?[] { 1, null }]))!;
        Assert.Equal([2], result[0]["n"]);
    }

    private static Assembly LoadGenerated()
    {
        (Microsoft.CodeAnalysis.Compilation output, _, _) = GeneratorHarness.Generate(Interfaces, $"Generated.Grains{Guid.NewGuid():N}", withGrainCode: true);
        return GeneratorHarness.Load(output);
    }

    private static object Call(object reference, Type declaring, string method, params object?[] arguments) =>
        declaring.GetMethod(method)!.Invoke(reference, arguments)!;

    private sealed class RecordingInvoker : IGrainCallInvoker
    {
        public GrainCallRequest? Last { get; private set; }

        public object? Result { get; set; }

        public ValueTask<object?> InvokeAsync(GrainCallRequest request, CancellationToken cancellationToken = default)
        {
            Last = request;
            return new ValueTask<object?>(Result);
        }
    }
}
