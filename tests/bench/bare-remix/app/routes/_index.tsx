import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

export async function loader({ request }: LoaderFunctionArgs) {
  const n = Math.min(Number(new URL(request.url).searchParams.get("n") ?? "20") || 20, 5000);
  const items = Array.from({ length: n }, (_, i) => ({ id: i + 1, title: `Item ${i + 1}: a title of ordinary length`, meta: `Workshop · Venue ${i + 1}, Manchester · Wed 2 Dec, 8pm–9pm` }));
  return json({ items });
}

export default function Index() {
  const { items } = useLoaderData<typeof loader>();
  return (
    <main>
      <h1>Items</h1>
      <ul>
        {items.map((item) => (
          <li key={item.id}>
            <h2>
              <Link to={`/items/${item.id}`}>{item.title}</Link>
            </h2>
            <p>{item.meta}</p>
          </li>
        ))}
      </ul>
    </main>
  );
}
