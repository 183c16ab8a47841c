using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using ShoppingCart.Grains;

namespace Samples.Tests;

/// <summary>
/// The ShoppingCart sample through the gateway: the product grain's <c>(bool, ProductDetails?)</c> result (which a JSON
/// wire path emptied to <c>(false, null)</c> after stock had already moved), carts and inventories in write-ahead-log
/// grain storage that a restarted silo reads back.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ShoppingCartTests
{
    private static readonly ProductDetails Kettle = new()
    {
        Id = "kettle",
        Name = "Kettle",
        Description = "1.7 l, stainless steel",
        Category = ProductCategory.Hardware,
        Quantity = 5,
        UnitPrice = 5.5m,
    };

    private static readonly ProductDetails Book = new()
    {
        Id = "book",
        Name = "A book about tea",
        Description = "Hardcover",
        Category = ProductCategory.Books,
        Quantity = 2,
        UnitPrice = 12.99m,
    };

    [Fact]
    public async Task TryTakeProduct_ThroughTheGateway_TupleCarriesAvailabilityAndDetailsLikeAnInSiloCall()
    {
        using var data = new TempDirectory("actors-samples-tests");
        await using TestCluster cluster = await SampleCluster.StartAsync(data.Path);
        IGrainFactory inSilo = cluster.GetSiloServiceProvider().GetRequiredService<IGrainFactory>();
        await cluster.Client.GetGrain<IProductGrain>("kettle").CreateOrUpdateProductAsync(Kettle);
        await cluster.Client.GetGrain<IProductGrain>("kettle-2").CreateOrUpdateProductAsync(Kettle with { Id = "kettle-2" });

        (bool remoteTaken, ProductDetails? remoteDetails) = await cluster.Client.GetGrain<IProductGrain>("kettle").TryTakeProductAsync(2);
        (bool localTaken, ProductDetails? localDetails) = await inSilo.GetGrain<IProductGrain>("kettle-2").TryTakeProductAsync(2);

        Assert.True(remoteTaken);
        Assert.Equal(Kettle with { Quantity = 3 }, remoteDetails);
        Assert.Equal(16.5m, remoteDetails!.TotalPrice);
        Assert.Equal((localTaken, localDetails! with { Id = "kettle" }), (remoteTaken, remoteDetails));
        Assert.Equal((false, null), await cluster.Client.GetGrain<IProductGrain>("kettle").TryTakeProductAsync(4));
        Assert.Equal(3, await cluster.Client.GetGrain<IProductGrain>("kettle").GetProductAvailabilityAsync());
    }

    [Fact]
    public async Task Cart_AddUpdateRemoveAndEmpty_StockMovesBetweenCartAndProduct()
    {
        using var data = new TempDirectory("actors-samples-tests");
        await using TestCluster cluster = await SampleCluster.StartAsync(data.Path);
        IProductGrain kettle = cluster.Client.GetGrain<IProductGrain>("kettle");
        IProductGrain book = cluster.Client.GetGrain<IProductGrain>("book");
        await kettle.CreateOrUpdateProductAsync(Kettle);
        await book.CreateOrUpdateProductAsync(Book);
        IShoppingCartGrain cart = cluster.Client.GetGrain<IShoppingCartGrain>("ada");

        Assert.True(await cart.AddOrUpdateItemAsync(4, Kettle));
        Assert.True(await cart.AddOrUpdateItemAsync(1, Book));
        Assert.False(await cart.AddOrUpdateItemAsync(6, Kettle));
        Assert.True(await cart.AddOrUpdateItemAsync(2, Kettle));

        HashSet<CartItem> items = await cart.GetAllItemsAsync();
        Assert.Equal(2, await cart.GetTotalItemsInCartAsync());
        Assert.Equal(
            [new CartItem("ada", 1, Book with { Quantity = 1 }), new CartItem("ada", 2, Kettle with { Quantity = 2 })],
            items.OrderBy(i => i.Product.Name));
        Assert.Equal(11m, items.Single(i => i.Product.Id == "kettle").TotalPrice);
        Assert.Equal((3, 1), (await kettle.GetProductAvailabilityAsync(), await book.GetProductAvailabilityAsync()));

        await cart.RemoveItemAsync(Book);
        Assert.Equal((1, 2), (await cart.GetTotalItemsInCartAsync(), await book.GetProductAvailabilityAsync()));

        await cart.EmptyCartAsync();
        Assert.Empty(await cart.GetAllItemsAsync());
        Assert.Equal(5, await kettle.GetProductAvailabilityAsync());
    }

    [Fact]
    public async Task Inventory_ListsEachCategorysProducts_AndFollowsACategoryChange()
    {
        using var data = new TempDirectory("actors-samples-tests");
        await using TestCluster cluster = await SampleCluster.StartAsync(data.Path);
        await cluster.Client.GetGrain<IProductGrain>("kettle").CreateOrUpdateProductAsync(Kettle);
        await cluster.Client.GetGrain<IProductGrain>("book").CreateOrUpdateProductAsync(Book);
        await cluster.Client.GetGrain<IProductGrain>("manual").CreateOrUpdateProductAsync(Book with { Id = "manual", Name = "Kettle manual" });

        Assert.Equal([Kettle], await Inventory(cluster, ProductCategory.Hardware).GetAllProductsAsync());
        Assert.Equal(["book", "manual"], (await Inventory(cluster, ProductCategory.Books).GetAllProductsAsync()).Select(p => p.Id).Order());

        await cluster.Client.GetGrain<IProductGrain>("manual").CreateOrUpdateProductAsync(Book with { Id = "manual", Name = "Kettle manual", Category = ProductCategory.Accessories });

        Assert.Equal(["book"], (await Inventory(cluster, ProductCategory.Books).GetAllProductsAsync()).Select(p => p.Id));
        Assert.Equal(["manual"], (await Inventory(cluster, ProductCategory.Accessories).GetAllProductsAsync()).Select(p => p.Id));
    }

    [Fact]
    public async Task CartsAndStock_SurviveASiloRestart_FromTheWriteAheadLog()
    {
        using var data = new TempDirectory("actors-samples-tests");
        await using (TestCluster first = await SampleCluster.StartAsync(data.Path))
        {
            await first.Client.GetGrain<IProductGrain>("kettle").CreateOrUpdateProductAsync(Kettle);
            Assert.True(await first.Client.GetGrain<IShoppingCartGrain>("ada").AddOrUpdateItemAsync(3, Kettle));

            // A graceful stop, then a new cluster on the same directory. Not KillSiloAsync: in-process it is no crash for the
            // log (the silo's lifecycle still stops and the log closes cleanly), so it would claim more than it shows.
            // SIGKILLed silo processes are the crash tests' and the demo's job.
            await first.StopAllSilosAsync();
        }

        await using TestCluster cluster = await SampleCluster.StartAsync(data.Path);
        Assert.Equal([new CartItem("ada", 3, Kettle with { Quantity = 3 })], await cluster.Client.GetGrain<IShoppingCartGrain>("ada").GetAllItemsAsync());
        Assert.Equal(2, await cluster.Client.GetGrain<IProductGrain>("kettle").GetProductAvailabilityAsync());
        Assert.Equal([Kettle with { Quantity = 2 }], await Inventory(cluster, ProductCategory.Hardware).GetAllProductsAsync());
    }

    private static IInventoryGrain Inventory(TestCluster cluster, ProductCategory category) =>
        cluster.Client.GetGrain<IInventoryGrain>(category.ToString());
}
