using Orleans;
using Orleans.Runtime;

namespace ShoppingCart.Grains;

/// <summary>A product: its details and stock in persistent state; listed in its category's inventory.</summary>
public sealed class ProductGrain(
    [PersistentState("product", ShopStorage.Name)] IPersistentState<ProductDetails> state) : Grain, IProductGrain
{
    public async Task<(bool IsAvailable, ProductDetails? ProductDetails)> TryTakeProductAsync(int quantity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quantity);
        if (state.State.Quantity < quantity)
        {
            return (false, null);
        }

        state.State = state.State with { Quantity = state.State.Quantity - quantity };
        await state.WriteStateAsync();
        return (true, state.State);
    }

    public async Task ReturnProductAsync(int quantity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quantity);
        state.State = state.State with { Quantity = state.State.Quantity + quantity };
        await state.WriteStateAsync();
    }

    public Task<int> GetProductAvailabilityAsync() => Task.FromResult(state.State.Quantity);

    public async Task CreateOrUpdateProductAsync(ProductDetails productDetails)
    {
        ArgumentNullException.ThrowIfNull(productDetails);
        if (productDetails.Id != this.GetPrimaryKeyString())
        {
            throw new ArgumentException($"Product grain '{this.GetPrimaryKeyString()}' cannot hold product '{productDetails.Id}'.", nameof(productDetails));
        }

        ProductCategory? previousCategory = state.RecordExists ? state.State.Category : null;
        state.State = productDetails;
        await state.WriteStateAsync();
        if (previousCategory is { } previous && previous != productDetails.Category)
        {
            await GrainFactory.GetGrain<IInventoryGrain>(previous.ToString()).RemoveProductAsync(productDetails.Id);
        }

        await GrainFactory.GetGrain<IInventoryGrain>(productDetails.Category.ToString()).AddOrUpdateProductAsync(productDetails);
    }

    public Task<ProductDetails> GetProductDetailsAsync() => Task.FromResult(state.State);
}
