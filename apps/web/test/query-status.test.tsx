import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { QueryStatus } from '../src/lib/query-status';

const texts = { loading: 'Loading rooms…', failed: 'Could not load rooms.', className: 'small' };

describe('QueryStatus', () => {
  it('shows a quiet line while loading, an alert on failure, and nothing once there is data', () => {
    const { rerender, container } = render(<QueryStatus query={{ isPending: true, isError: false }} {...texts} />);
    expect(screen.getByText('Loading rooms…')).toHaveClass('muted', 'small');
    expect(screen.queryByRole('alert')).toBeNull();

    rerender(<QueryStatus query={{ isPending: false, isError: true }} {...texts} />);
    expect(screen.getByRole('alert')).toHaveTextContent('Could not load rooms.');
    expect(screen.getByRole('alert')).toHaveClass('error', 'small');

    rerender(<QueryStatus query={{ isPending: false, isError: false }} {...texts} />);
    expect(container).toBeEmptyDOMElement();
  });
});
