import type { FormEvent } from 'react'

interface AddressSearchProps {
  /** The search landmark's name, e.g. "Search complaints by reporter". */
  purpose: string
  label: string
  id: string
  name: string
  /** The address searched for now (the form resets to it when the URL changes). */
  value: string
  onSearch: (address: string) => void
}

/** One search box for an email address or phone number; the API normalizes what is typed. */
export function AddressSearch ({ purpose, label, id, name, value, onSearch }: AddressSearchProps) {
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    onSearch(String(new FormData(event.currentTarget).get(name) ?? '').trim())
  }
  return (
    <form className='search' role='search' aria-label={purpose} onSubmit={submit}>
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} type='search' placeholder='Email or phone number' defaultValue={value} key={value} />
      <button type='submit'>Search</button>
    </form>
  )
}
