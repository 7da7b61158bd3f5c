Here is the updated controller with the `show` action:

```php
<?php

namespace App\Http\Controllers;

use App\Models\Product;
use Illuminate\Http\Request;

class ProductController extends Controller
{
    public function index()
    {
        return Product::paginate(20);
    }

    // ... existing code ...

    public function show(int $id)
    {
        return Product::findOrFail($id);
    }

    public function destroy(int $id)
    {
        throw new \RuntimeException('Not implemented');
    }
}
```
