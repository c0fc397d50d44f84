import type { Product } from './app.js';

/**
 * ProductWeb's client of ProductService: the consumer side of this example.
 *
 * @example const pen = await new ProductClient('http://localhost:5002').getProduct(1);
 */
export class ProductClient {
  constructor(private readonly baseUrl: string) {}

  /** The product with this id, or undefined when there is none. */
  async getProduct(id: number): Promise<Pick<Product, 'id' | 'name'> | undefined> {
    const response = await fetch(`${this.baseUrl}/products/${id}`, {
      headers: { Accept: 'application/json' },
    });
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`ProductService answered ${response.status}`);
    const { id: productId, name } = (await response.json()) as Product;
    return { id: productId, name };
  }
}
