using System.Reflection;
using Actors.Invocation;

namespace Actors.Hosting.Tests.WirePath;

public class StableMethodKeyTests
{
    public interface IKeyedGrain : IGrainWithStringKey
    {
        Task<List<Dictionary<string, ProductDetails>>> Generic(List<ProductDetails> items, int[][] jagged, int[,] square);

        [Alias("renamed-later")]
        Task Aliased(int value);
    }

    [Fact]
    public void Key_GenericParameterTypes_NamesNoAssemblyOrVersion()
    {
        string key = GrainMethod.For(typeof(IKeyedGrain).GetMethod(nameof(IKeyedGrain.Generic))!).Key;

        Assert.Equal(
            "Actors.Hosting.Tests.WirePath.StableMethodKeyTests+IKeyedGrain.Generic(System.Collections.Generic.List<tests.wire.product>,System.Int32[][],System.Int32[,])",
            key);
        Assert.DoesNotContain("Version=", key, StringComparison.Ordinal);
        Assert.DoesNotContain(typeof(ProductDetails).Assembly.GetName().Name!, key.Replace("Actors.Hosting.Tests.WirePath", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Key_AliasedMethod_IsInterfaceAndAlias()
    {
        MethodInfo method = typeof(IKeyedGrain).GetMethod(nameof(IKeyedGrain.Aliased))!;

        Assert.Equal("Actors.Hosting.Tests.WirePath.StableMethodKeyTests+IKeyedGrain.renamed-later", GrainMethod.For(method).Key);
    }
}
