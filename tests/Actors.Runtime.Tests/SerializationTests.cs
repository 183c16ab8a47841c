using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Actors.Hosting;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;
using Actors.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Runtime.Tests;

public sealed class SerializationTests
{
    [Fact]
    public async Task AddJsonGrainSerializer_SourceGeneratedContext_ServesItsTypesAndReflectionTheRest()
    {
        var context = new RecordingResolver(OrderJsonContext.Default);
        await using TestSilo silo = TestSilo.Start(s => s
            .AddGrain<OrderGrain>()
            .AddJsonGrainSerializer(options => options.TypeInfoResolverChain.Insert(0, context)));
        IGrainSerializer serializer = silo.Services.GetRequiredService<IGrainSerializer>();

        byte[] json = serializer.Serialize(new OrderLine { ProductName = "coffee" }, typeof(OrderLine));

        Assert.Equal("coffee", ((OrderLine)serializer.Deserialize(json, typeof(OrderLine))!).ProductName);
        Assert.Contains(typeof(OrderLine), context.Served);
        Assert.Equal(["a"], (List<string>)serializer.Deserialize(serializer.Serialize(new List<string> { "a" }, typeof(List<string>)), typeof(List<string>))!);
    }

    [Fact]
    public async Task AddSerializer_TypeOptedIntoJson_InSiloCallCopiesItThroughTheJsonOptions()
    {
        var context = new RecordingResolver(OrderJsonContext.Default);
        var options = new JsonSerializerOptions { TypeInfoResolver = context };
        await using TestSilo silo = TestSilo.Start(s =>
        {
            s.AddGrain<OrderGrain>();
            s.Services.AddSerializer(b => b.AddJsonSerializer(type => type == typeof(OrderLine), options));
        });
        OrderLine mine = new() { ProductName = "coffee" };

        OrderLine echoed = await silo.Factory.GetGrain<IOrderGrain>("o").Echo(mine);

        Assert.Equal("coffee", echoed.ProductName);
        Assert.NotSame(mine, echoed);
        Assert.Contains(typeof(OrderLine), context.Served);
    }

    /// <summary>Records which types the wrapped (source-generated) resolver answered for.</summary>
    private sealed class RecordingResolver(IJsonTypeInfoResolver inner) : IJsonTypeInfoResolver
    {
        public List<Type> Served { get; } = [];

        public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options)
        {
            JsonTypeInfo? info = inner.GetTypeInfo(type, options);
            if (info is not null)
            {
                lock (Served)
                {
                    Served.Add(type);
                }
            }

            return info;
        }
    }
}
